import { z } from 'zod';

/** A shift as the on-call API shows it: times in the schedule's zone (RFC 3339 with offset). */
export const shiftViewSchema = z.object({ start: z.string(), end: z.string(), person: z.string(), layer: z.string() });
export type ShiftView = z.infer<typeof shiftViewSchema>;

/** GET /api/v1/oncall: who is on call now (or at `at`) on every schedule. */
export const oncallResponseSchema = z.object({
  at: z.string(),
  oncall: z.array(
    z.object({ schedule: z.string(), time_zone: z.string(), person: z.string().nullable(), full_name: z.string().nullable(), shift: shiftViewSchema.nullable() }),
  ),
});
export type OncallResponse = z.infer<typeof oncallResponseSchema>;

/** GET /api/v1/schedules/{name}/shifts?from=&to= */
export const shiftsResponseSchema = z.object({ schedule: z.string(), time_zone: z.string(), from: z.string(), to: z.string(), shifts: z.array(shiftViewSchema) });
export type ShiftsResponse = z.infer<typeof shiftsResponseSchema>;

/** GET /api/v1/schedules */
export const schedulesResponseSchema = z.object({
  schedules: z.array(z.object({ name: z.string(), time_zone: z.string(), layers: z.array(z.object({ name: z.string(), members: z.array(z.string()).readonly() })) })),
});
export type SchedulesResponse = z.infer<typeof schedulesResponseSchema>;
