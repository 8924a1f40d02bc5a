import { z } from 'zod';

export const MAINTENANCE_STATES = ['upcoming', 'active', 'completed'] as const;

/** A maintenance window as the API shows it; times RFC 3339 (UTC). */
export const maintenanceViewSchema = z.object({
  id: z.string(),
  services: z.array(z.string()),
  start: z.string(),
  end: z.string(),
  reason: z.string(),
  state: z.enum(MAINTENANCE_STATES),
  /** `config`: declared in vigil.yml (change it there); `api`: created through this API. */
  source: z.enum(['config', 'api']),
  created_by: z.string(),
  created_at: z.string().nullable(),
  /** Set when the window was ended before its planned end: who ended it, and the end it had. */
  ended_early_by: z.string().nullable(),
  planned_end: z.string().nullable(),
});
export type MaintenanceView = z.infer<typeof maintenanceViewSchema>;

export const maintenanceListSchema = z.object({ maintenance: z.array(maintenanceViewSchema) });
export type MaintenanceList = z.infer<typeof maintenanceListSchema>;

const rfc3339 = z.iso.datetime({ offset: true, error: 'expected an RFC 3339 time with a zone, like 2026-12-06T02:00:00Z' });

export const maintenanceCreateBody = z.strictObject({
  services: z.array(z.string().min(1).max(200)).min(1, 'name at least one service').max(1000),
  /** Default: now. */
  start: rfc3339.optional(),
  end: rfc3339,
  reason: z.string().max(2000).default(''),
});
export type MaintenanceCreateBody = z.infer<typeof maintenanceCreateBody>;

export const maintenancePatchBody = z.strictObject({
  services: z.array(z.string().min(1).max(200)).min(1, 'name at least one service').max(1000).optional(),
  start: rfc3339.optional(),
  end: rfc3339.optional(),
  reason: z.string().max(2000).optional(),
});
export type MaintenancePatchBody = z.infer<typeof maintenancePatchBody>;

export const maintenanceListQuery = z.strictObject({
  /** Comma-separated states; default all. */
  state: z
    .string()
    .max(100)
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return undefined;
      const parts = s.split(',').map((p) => p.trim());
      for (const p of parts) {
        if (!(MAINTENANCE_STATES as readonly string[]).includes(p)) {
          ctx.addIssue({ code: 'custom', message: `unknown state ${JSON.stringify(p)} (one of ${MAINTENANCE_STATES.join(', ')})` });
          return z.NEVER;
        }
      }
      return parts as Array<(typeof MAINTENANCE_STATES)[number]>;
    }),
  service: z.string().min(1).max(200).optional(),
});
