import type { FileResult } from './runner.js';

/**
 * The JUnit XML promtool writes with --junit: one <testsuite> per test file, one <testcase>
 * per test group that ran, a <failure> per failed check; a file that could not be run is an
 * <error> in a testcase named "unknown". Written as Go's encoding/xml writes it (no header,
 * no indentation), so tools that read promtool's reports read these.
 */
export function junitXml(results: readonly FileResult[]): string {
  let out = '<testsuites>';
  for (const r of results) {
    const aborted = r.cases.length === 0 && r.errors.length > 0;
    const cases = aborted ? [{ name: 'unknown', failures: [] as readonly string[] }] : r.cases;
    const failures = cases.reduce((n, c) => n + c.failures.length, 0);
    const stamp = r.startedAt && !aborted ? goLocalStamp(r.startedAt) : '';
    out += `<testsuite name="${esc(r.file)}" tests="${cases.length}" failures="${failures}" errors="${aborted ? 1 : 0}" skipped="0" timestamp="${stamp}">`;
    for (const c of cases) {
      out += `<testcase name="${esc(c.name)}">`;
      for (const f of c.failures) out += `<failure>${esc(f)}</failure>`;
      if (aborted) out += `<error>${esc(r.errors.join('\n'))}</error>`;
      out += '</testcase>';
    }
    out += '</testsuite>';
  }
  return `${out}</testsuites>`;
}

const ESCAPES: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };

/** Go's xml EscapeString: markup characters and whitespace other than spaces as references, characters XML cannot hold as U+FFFD. */
function esc(s: string): string {
  return s.replace(/["'&<>\t\n\r]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) => ESCAPES[c] ?? '\uFFFD');
}

/** time.Now().Format("2006-01-02T15:04:05"): local time. */
function goLocalStamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
