import { z } from 'zod';
import { isoTime } from './common.js';

export const resultViewSchema = z.object({
  at: isoTime,
  success: z.boolean(),
  duration_ms: z.number(),
  message: z.string(),
});
export type ResultView = z.infer<typeof resultViewSchema>;

/** `down`: failing long enough to alert; `failing`: failing, not yet alerting; `pending`: no result yet. */
export const CHECK_STATES = ['up', 'down', 'failing', 'pending'] as const;

export const checkViewSchema = z.object({
  name: z.string(),
  service: z.string(),
  type: z.string(),
  interval_ms: z.number(),
  state: z.enum(CHECK_STATES),
  alert_firing: z.boolean(),
  consecutive_failures: z.number(),
  consecutive_successes: z.number(),
  last_result: resultViewSchema.nullable(),
  /** Share of successful results, 0..1; null without results in the window. */
  uptime: z.object({ '24h': z.number().nullable(), '7d': z.number().nullable(), '30d': z.number().nullable() }),
});
export type CheckView = z.infer<typeof checkViewSchema>;

export const checksResponseSchema = z.object({ checks: z.array(checkViewSchema) });
export type ChecksResponse = z.infer<typeof checksResponseSchema>;

export const checkResultsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  before: z.iso.datetime({ offset: true }).optional(),
});
export type CheckResultsQuery = z.input<typeof checkResultsQuerySchema>;

export const checkResultsResponseSchema = z.object({ check: z.string(), results: z.array(resultViewSchema) });
export type CheckResultsResponse = z.infer<typeof checkResultsResponseSchema>;
