import { z } from 'zod';
import { tryParseDuration } from './duration.js';
import { isValidLabelName } from './labels.js';

/**
 * Building blocks shared by every module's config schema. Each module owns the zod schema
 * of its own config section; config/ composes them and reports every issue with its path.
 * Objects are strict: an unknown key is an error, never silently ignored.
 */

/** A Prometheus duration string (`30s`, `1h30m`), parsed to milliseconds. */
export function duration() {
  return z.string({ error: 'expected a duration like 30s' }).transform((s, ctx) => {
    const ms = tryParseDuration(s);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a duration like 30s, got ${JSON.stringify(s)}` });
      return z.NEVER;
    }
    return ms;
  });
}

/** A map of label names to values; names must be valid Prometheus label names. */
export const labelsSchema = z.record(
  z.string().refine(isValidLabelName, { message: 'label names must match [a-zA-Z_][a-zA-Z0-9_]*' }),
  z.string(),
);

/** Free-form annotations: any name, string values. */
export const annotationsSchema = z.record(z.string(), z.string());

export const nameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'use letters, digits and _ . : - (starting with a letter or digit)');
