import type { z } from 'zod';

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v)));
const list = (vs: readonly unknown[]): string => vs.map((v) => (typeof v === 'string' ? v : String(v))).join(', ');

/**
 * One validation problem as a person would say it (`must be a number`, `must be one of
 * open, resolved, all`), not the validation library's wording. Messages a schema sets
 * itself (`expected an incident id like INC-2026-0001`) are kept.
 */
export function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      // A query parameter coerced to a number arrives as NaN: the original text is gone.
      if (typeof issue.input === 'number' && Number.isNaN(issue.input)) return `must be a ${issue.expected}`;
      const got = issue.input === null ? 'null' : Array.isArray(issue.input) ? 'a list' : typeof issue.input === 'object' ? 'an object' : show(issue.input);
      const want = issue.expected === 'object' ? 'an object' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`;
      return `must be ${want}, got ${got}`;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must be at least ${min} characters`;
      if (issue.origin === 'array') return `must have at least ${min} item${min === '1' ? '' : 's'}`;
      return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${min}`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      if (issue.origin === 'array') return `must have at most ${max} items`;
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${max}`;
    }
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${show(issue.values[0])}` : `must be one of ${list(issue.values)}${issue.input !== undefined ? `, got ${show(issue.input)}` : ''}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'datetime') return `must be an RFC 3339 time like 2026-01-31T09:30:00Z${issue.input !== undefined ? `, got ${show(issue.input)}` : ''}`;
      if (issue.format === 'regex') return issue.message.startsWith('Invalid') ? 'has the wrong format' : issue.message;
      return `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'does not match any accepted form';
    default:
      return issue.message;
  }
}

/** `body.severity: must be one of critical, high, medium, low` — one clause per problem. */
export function zodMessage(err: z.ZodError, where: string): string {
  return err.issues.map((i) => `${formatPath([where, ...i.path])}: ${issueText(i)}`).join('; ');
}
