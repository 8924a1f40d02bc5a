import { z } from 'zod';
import { duration } from '../../model/schema.js';
import { DEFAULT_ERROR_PHRASES } from './error-phrases.js';
import { DEFAULT_PRIVILEGE_RULES } from './privilege-escalation.js';

const severity = (d: string) => z.string().min(1).default(d);
const positiveInt = (d: number) => z.number().int().positive().default(d);

/** `logs.detectors` in vigil.yml: every detector on by default, every setting optional. */
export const detectorsSchema = z
  .strictObject({
    new_pattern: z
      .strictObject({
        enabled: z.boolean().default(true),
        baseline: duration().default(3_600_000),
        window: duration().default(900_000),
        levels: z.array(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal'])).min(1).default(['warn', 'error', 'fatal']),
        severity: severity('medium'),
      })
      .default({ enabled: true, baseline: 3_600_000, window: 900_000, levels: ['warn', 'error', 'fatal'], severity: 'medium' }),
    rate_spike: z
      .strictObject({
        enabled: z.boolean().default(true),
        bucket: duration().default(60_000),
        baseline_windows: positiveInt(30),
        min_baseline_windows: positiveInt(10),
        k: z.number().positive().default(5),
        min_count: positiveInt(10),
        resolve_after: duration().default(300_000),
        severity: severity('medium'),
      })
      .default({ enabled: true, bucket: 60_000, baseline_windows: 30, min_baseline_windows: 10, k: 5, min_count: 10, resolve_after: 300_000, severity: 'medium' }),
    error_phrases: z
      .strictObject({
        enabled: z.boolean().default(true),
        phrases: z.array(z.string().min(1)).default([...DEFAULT_ERROR_PHRASES]),
        window: duration().default(300_000),
        min_count: positiveInt(1),
        severity: severity('high'),
      })
      .default({ enabled: true, phrases: [...DEFAULT_ERROR_PHRASES], window: 300_000, min_count: 1, severity: 'high' }),
    brute_force: z
      .strictObject({
        enabled: z.boolean().default(true),
        window: duration().default(300_000),
        per_ip: positiveInt(10),
        per_user: positiveInt(10),
        severity: severity('high'),
      })
      .default({ enabled: true, window: 300_000, per_ip: 10, per_user: 10, severity: 'high' }),
    new_login_ip: z
      .strictObject({
        enabled: z.boolean().default(true),
        learning: duration().default(86_400_000),
        window: duration().default(900_000),
        severity: severity('medium'),
      })
      .default({ enabled: true, learning: 86_400_000, window: 900_000, severity: 'medium' }),
    privilege_escalation: z
      .strictObject({
        enabled: z.boolean().default(true),
        rules: z.array(z.strictObject({ name: z.string().min(1), regex: z.string().min(1) })).default(DEFAULT_PRIVILEGE_RULES.map((r) => ({ ...r }))),
        window: duration().default(900_000),
        severity: severity('high'),
      })
      .default({ enabled: true, rules: DEFAULT_PRIVILEGE_RULES.map((r) => ({ ...r })), window: 900_000, severity: 'high' }),
  })
  .prefault({});

export type DetectorsConfig = z.output<typeof detectorsSchema>;
