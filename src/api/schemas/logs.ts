import { z } from 'zod';
import { isoTime, labelSet } from './common.js';

export const patternViewSchema = z.object({
  service: z.string(),
  id: z.string(),
  template: z.string(),
  count: z.number(),
  first_seen: isoTime,
  last_seen: isoTime,
  samples: z.array(z.string()).readonly(),
});
export type PatternView = z.infer<typeof patternViewSchema>;
export const patternsResponseSchema = z.object({ patterns: z.array(patternViewSchema) });
export type PatternsResponse = z.infer<typeof patternsResponseSchema>;
export const patternsQuerySchema = z.strictObject({ service: z.string().min(1).optional(), limit: z.coerce.number().int().min(1).max(10_000).default(200) });

export const traceLineSchema = z.object({ ts: z.string(), time: isoTime, labels: labelSet, line: z.string() });
export const traceResponseSchema = z.object({ id: z.string(), lines: z.array(traceLineSchema) });
export type TraceResponse = z.infer<typeof traceResponseSchema>;
