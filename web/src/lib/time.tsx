// Times are shown in the browser's time zone; hovering or focusing one shows UTC, and screen
// readers read it with the time.

const pad = (n: number) => String(n).padStart(2, '0');

export function parseTime(t: string | number | Date): Date {
  return t instanceof Date ? t : new Date(t);
}

/** `14:03:07` today, `Mar 4 14:03` this year, `2025-03-04 14:03` before. */
export function formatLocal(t: string | number | Date, now = new Date()): string {
  const d = parseTime(t);
  const hms = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (d.toDateString() === now.toDateString()) return hms;
  const month = d.toLocaleString(undefined, { month: 'short' });
  if (d.getFullYear() === now.getFullYear()) return `${month} ${d.getDate()} ${hms.slice(0, 5)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hms.slice(0, 5)}`;
}

/** A time as a `datetime-local` input's value, in the browser's zone (seconds included). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatUtc(t: string | number | Date): string {
  return parseTime(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** `45s`, `12m`, `3h 20m`, `2d 4h`: two units at most. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 && m < 10 ? `${m}m ${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

export function ago(t: string | number | Date, now = Date.now()): string {
  const ms = now - parseTime(t).getTime();
  return ms < 5000 ? 'just now' : `${formatDuration(ms)} ago`;
}

const ZONE = (() => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return 'local time';
  }
})();

/**
 * A time in the browser's zone. Its UTC form shows on hover and on keyboard focus (each time
 * is a tab stop; a CSS tooltip from `data-utc`, so keyboard users see what mouse users see),
 * and screen readers read it after the local time (visually hidden text, not a `title`, which
 * they announce inconsistently).
 */
export function Time({ t, relative = false }: { t: string | number | null | undefined; relative?: boolean }) {
  if (t === null || t === undefined) return <span className="muted">–</span>;
  const d = parseTime(t);
  if (Number.isNaN(d.getTime())) return <span>{String(t)}</span>;
  const utc = `${formatUtc(d)} (shown in ${ZONE})`;
  return (
    <time dateTime={d.toISOString()} data-utc={utc} className="time" tabIndex={0}>
      {relative ? ago(d) : formatLocal(d)}
      <span className="sr-only">, {formatUtc(d)}</span>
    </time>
  );
}

const ISO_IN_TEXT = /(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d))/;

/** Text from the server with RFC 3339 times in it ("maintenance until 2026-12-07T07:36:06Z"): each time shown as <Time>. */
export function TextWithTimes({ text }: { text: string }) {
  const parts = text.split(ISO_IN_TEXT);
  if (parts.length === 1) return <>{text}</>;
  return <>{parts.map((p, i) => (i % 2 === 1 ? <Time key={i} t={p} /> : p))}</>;
}
