import type { GoTime } from './values.js';

/**
 * time.Time.Format for UTC times: Go's reference-time layouts (`2006-01-02 15:04:05`,
 * `Mon Jan 2`, `.000`, `-07:00`, `MST`, …), as templates write `(now | toTime).Format "…"`.
 */
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const p2 = (n: number) => String(n).padStart(2, '0');

/** Layout elements, longest first where one is a prefix of another. */
const ELEMENTS: ReadonlyArray<readonly [string, (d: Date, ns: number) => string]> = [
  ['January', (d) => MONTHS[d.getUTCMonth()] as string],
  ['Jan', (d) => (MONTHS[d.getUTCMonth()] as string).slice(0, 3)],
  ['Monday', (d) => DAYS[d.getUTCDay()] as string],
  ['Mon', (d) => (DAYS[d.getUTCDay()] as string).slice(0, 3)],
  ['MST', () => 'UTC'],
  ['2006', (d) => String(d.getUTCFullYear()).padStart(4, '0')],
  ['-07:00:00', () => '+00:00:00'],
  ['-0700', () => '+0000'],
  ['-07:00', () => '+00:00'],
  ['-07', () => '+00'],
  ['Z07:00:00', () => 'Z'],
  ['Z0700', () => 'Z'],
  ['Z07:00', () => 'Z'],
  ['Z07', () => 'Z'],
  ['002', (d) => String(dayOfYear(d)).padStart(3, '0')],
  ['__2', (d) => String(dayOfYear(d)).padStart(3, ' ')],
  ['01', (d) => p2(d.getUTCMonth() + 1)],
  ['02', (d) => p2(d.getUTCDate())],
  ['_2', (d) => String(d.getUTCDate()).padStart(2, ' ')],
  ['03', (d) => p2(h12(d))],
  ['04', (d) => p2(d.getUTCMinutes())],
  ['05', (d) => p2(d.getUTCSeconds())],
  ['06', (d) => p2(d.getUTCFullYear() % 100)],
  ['15', (d) => String(d.getUTCHours())],
  ['PM', (d) => (d.getUTCHours() >= 12 ? 'PM' : 'AM')],
  ['pm', (d) => (d.getUTCHours() >= 12 ? 'pm' : 'am')],
  ['1', (d) => String(d.getUTCMonth() + 1)],
  ['2', (d) => String(d.getUTCDate())],
  ['3', (d) => String(h12(d))],
  ['4', (d) => String(d.getUTCMinutes())],
  ['5', (d) => String(d.getUTCSeconds())],
];

function h12(d: Date): number {
  const h = d.getUTCHours() % 12;
  return h === 0 ? 12 : h;
}

function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

export function formatGoTime(t: GoTime, layout: string): string {
  const d = new Date(t.ms);
  const ns = (((t.ms % 1000) + 1000) % 1000) * 1e6 + t.subMsNs;
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    // Fractional seconds: `.000` / `,000` (fixed) and `.999` (trailing zeros dropped) after a seconds field.
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac && /5$/.test(layout.slice(0, i))) {
      const digits = (frac[1] as string).length;
      let f = String(ns).padStart(9, '0').slice(0, digits);
      if ((frac[1] as string)[0] === '9') f = f.replace(/0+$/, '');
      if (f.length > 0) out += (frac[0] as string)[0] + f;
      i += frac[0].length;
      continue;
    }
    for (const [el, fmt] of ELEMENTS) {
      if (layout.startsWith(el, i)) {
        // `Jan`/`Mon` only when not followed by a lower-case letter (`Janet` is text).
        if ((el === 'Jan' || el === 'Mon') && /[a-z]/.test(layout[i + 3] ?? '')) break;
        out += fmt(d, ns);
        i += el.length;
        continue outer;
      }
    }
    out += layout[i];
    i++;
  }
  return out;
}
