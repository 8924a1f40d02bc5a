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

/** A secret calendar URL as listed: which feed, when and by whom it was made (never the secret). */
export const calendarFeedViewSchema = z.object({ kind: z.enum(['schedule', 'person']), name: z.string(), created_at: z.string(), created_by: z.string() });
export type CalendarFeedView = z.infer<typeof calendarFeedViewSchema>;

/** GET /api/v1/calendar-urls */
export const calendarFeedsResponseSchema = z.object({ feeds: z.array(calendarFeedViewSchema) });
export type CalendarFeedsResponse = z.infer<typeof calendarFeedsResponseSchema>;

/** POST /api/v1/{schedules|people}/{name}/calendar-url: the secret URL, shown in this answer only. */
export const calendarUrlResponseSchema = calendarFeedViewSchema.extend({ url: z.string(), webcal_url: z.string() });
export type CalendarUrlResponse = z.infer<typeof calendarUrlResponseSchema>;
