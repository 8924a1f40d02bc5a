import type { Labels } from '../../model/labels.js';
import { isValidLabelName } from '../../model/labels.js';
import { compileRegex, newMatcher } from '../../model/matcher.js';
import type { Matcher } from '../../model/matcher.js';

/** A silence matcher as Alertmanager's API carries it: isEqual false negates (!= or !~). */
export interface SilenceMatcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  readonly isEqual: boolean;
}

/** A silence. Times are ms since the epoch. */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

export type SilenceState = 'pending' | 'active' | 'expired';

/** Alertmanager's types.CalcSilenceState: pending before startsAt, expired after endsAt. */
export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  if (s.startsAt > now) return 'pending';
  if (s.endsAt < now) return 'expired';
  return 'active';
}

/** A silence problem, with Alertmanager's wording. Maps to 400. */
export class SilenceError extends Error {
  override name = 'SilenceError';
}

/** The silence could not be found (API: 404). */
export class SilenceNotFoundError extends Error {
  override name = 'SilenceNotFoundError';
  constructor() {
    super('silence not found');
  }
}

export function toMatcher(m: SilenceMatcher): Matcher {
  const type = m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
  return newMatcher(type, m.name, m.value);
}

/** Alertmanager's validateSilence (silence/silence.go), messages included. */
export function validateSilence(s: Omit<Silence, 'id' | 'updatedAt'>): Matcher[] {
  if (s.matchers.length === 0) throw new SilenceError('at least one matcher required');
  const compiled = s.matchers.map((m, i) => {
    if (!isValidLabelName(m.name)) throw new SilenceError(`invalid label matcher ${i}: invalid label name ${JSON.stringify(m.name)}`);
    if (m.isRegex) {
      try {
        compileRegex(m.value);
      } catch (e) {
        throw new SilenceError(`invalid label matcher ${i}: invalid regular expression ${JSON.stringify(m.value)}: ${(e as Error).message}`);
      }
    }
    return toMatcher(m);
  });
  // As Alertmanager's matchesEmpty: only = and =~ matchers are weighed; a negative matcher
  // never counts as matching the empty string, so `team!="db"` alone is a valid silence.
  if (compiled.every((m) => (m.type === '=' || m.type === '=~') && m.matches(''))) throw new SilenceError('at least one matcher must not match the empty string');
  if (!s.startsAt) throw new SilenceError('invalid zero start timestamp');
  if (!s.endsAt) throw new SilenceError('invalid zero end timestamp');
  if (s.endsAt < s.startsAt) throw new SilenceError('end time must not be before start time');
  return compiled;
}

export function matchersMatch(matchers: readonly Matcher[], labels: Labels): boolean {
  for (const m of matchers) if (!m.matches(labels[m.name] ?? '')) return false;
  return true;
}

function sameMatchers(a: readonly SilenceMatcher[], b: readonly SilenceMatcher[]): boolean {
  return a.length === b.length && a.every((m, i) => {
    const o = b[i]!;
    return m.name === o.name && m.value === o.value && m.isRegex === o.isRegex && m.isEqual === o.isEqual;
  });
}

/**
 * Alertmanager's canUpdate: an existing silence is changed in place only when its matchers are
 * the same and the change of times is allowed in its state (an active silence keeps its start
 * and may not end in the past; a pending one may not start in the past); otherwise the old one
 * is expired and a new one created.
 */
export function canUpdate(prev: Silence, next: Omit<Silence, 'id' | 'updatedAt'>, now: number): boolean {
  if (!sameMatchers(prev.matchers, next.matchers)) return false;
  switch (silenceState(prev, now)) {
    case 'active':
      return next.startsAt === prev.startsAt && next.endsAt >= now;
    case 'pending':
      return next.startsAt >= now;
    case 'expired':
      return false;
    default: {
      const never: never = silenceState(prev, now) as never;
      return never;
    }
  }
}
