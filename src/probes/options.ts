import { z } from 'zod';
import { RE2JS } from 're2js';
import { splitHostPort } from './probe.js';

/** Option schemas shared by several probes. */

/** `host:port` (IPv6 in brackets), kept as written. */
export const hostPortSchema = z
  .string({ error: 'expected host:port, e.g. 127.0.0.1:5432' })
  .refine((s) => splitHostPort(s) !== undefined, { message: 'expected host:port, e.g. 127.0.0.1:5432' });

/**
 * A user regular expression, matched anywhere in its input (not anchored). Compiled with
 * RE2 semantics at load so a bad or catastrophic pattern fails the config, not the probe.
 */
export const regexSchema = z.string().superRefine((s, ctx) => {
  try {
    RE2JS.compile(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression ${JSON.stringify(s)}: ${(e as Error).message}` });
  }
});

/** Compiles a pattern already validated by regexSchema. */
export function compileSearch(pattern: string): { test(input: string): boolean } {
  const re = RE2JS.compile(pattern);
  return { test: (input) => re.test(input) };
}
