import { z } from 'zod';
import { isoTime, labelSet } from './common.js';

/** An alert in Vigil's pipeline as GET /api/v1/alerts lists it. */
export const alertViewSchema = z.object({
  fingerprint: z.string(),
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet,
  starts_at: isoTime,
  ends_at: isoTime.nullable(),
  generator_url: z.string(),
  receivers: z.array(z.string()).readonly(),
});
export type AlertView = z.infer<typeof alertViewSchema>;

export const alertsResponseSchema = z.object({ alerts: z.array(alertViewSchema) });
export type AlertsResponse = z.infer<typeof alertsResponseSchema>;
