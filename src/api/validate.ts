import type { z } from 'zod';
import { HttpError, zodMessage } from './errors.js';
import { wellFormedDeep } from '../model/well-formed.js';

/**
 * Parses a request part with a zod schema; failures become a 400 naming the field. Lone
 * surrogates in strings become U+FFFD (see wellFormed), so what a request is answered with is
 * what is stored and read back.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.output<S> {
  const r = schema.safeParse(value ?? {}, { reportInput: true });
  if (!r.success) throw new HttpError('bad_request', zodMessage(r.error, where));
  return wellFormedDeep(r.data);
}
