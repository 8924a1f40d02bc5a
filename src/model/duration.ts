/**
 * Durations in milliseconds, written as Prometheus writes them: units y w d h m s ms,
 * largest first, each at most once (`1h30m`, `500ms`, `1w`). A year is 365 days.
 */
const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

export class DurationError extends Error {
  constructor(readonly input: string) {
    super(`expected a duration like 30s, 5m or 1h30m, got ${JSON.stringify(input)}`);
    this.name = 'DurationError';
  }
}

/** Parses a Prometheus duration; throws DurationError. `0` alone is accepted as zero. */
export function parseDuration(input: string): number {
  if (input === '0') return 0;
  const m = DURATION_RE.exec(input);
  if (!m || input === '') throw new DurationError(input);
  let ms = 0;
  UNITS.forEach(([, factor], i) => {
    const g = m[i + 1];
    if (g !== undefined) ms += Number(g) * factor;
  });
  if (!Number.isSafeInteger(ms)) throw new DurationError(input);
  return ms;
}

export function tryParseDuration(input: string): number | undefined {
  try {
    return parseDuration(input);
  } catch {
    return undefined;
  }
}

/** Formats milliseconds the way Prometheus prints a model.Duration (`1h30m`, `0s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(Math.abs(ms));
  let out = ms < 0 ? '-' : '';
  for (const [unit, factor] of UNITS) {
    const n = Math.floor(rest / factor);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * factor;
    }
  }
  return out;
}
