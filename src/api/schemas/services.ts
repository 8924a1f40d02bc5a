import { z } from 'zod';

/**
 * `down`: a check is down or a critical alert fires; `degraded`: another alert fires, a check
 * fails (not yet alerting) or an incident is open; `maintenance`: its alerts are muted by a
 * maintenance window; `unknown`: no result yet; `up`: none of these.
 */
export const SERVICE_STATES = ['up', 'degraded', 'down', 'maintenance', 'unknown'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export const serviceViewSchema = z.object({
  name: z.string(),
  description: z.string().nullable(),
  owner: z.string().nullable(),
  tier: z.string().nullable(),
  /** Declared under services: (false: only named by a check, alert or incident). */
  declared: z.boolean(),
  state: z.enum(SERVICE_STATES),
  /** Why it is in that state, most serious first (`check shop-api-health down: status 503`). */
  reasons: z.array(z.string()),
  checks: z.object({ total: z.number(), up: z.number(), failing: z.number(), down: z.number(), pending: z.number() }),
  /** Firing alerts by severity label (`none` when it has none). */
  firing_alerts: z.record(z.string(), z.number()),
  open_incidents: z.array(z.object({ id: z.string(), title: z.string(), severity: z.string(), status: z.string() })),
});
export type ServiceView = z.infer<typeof serviceViewSchema>;

export const servicesResponseSchema = z.object({ services: z.array(serviceViewSchema) });
export type ServicesResponse = z.infer<typeof servicesResponseSchema>;
