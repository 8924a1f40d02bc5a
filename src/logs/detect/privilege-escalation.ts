import { RE2JS } from 're2js';
import { literalTest, requiredLiterals } from '../literal-prefilter.js';
import { AlertBook, SlidingWindow, formatWindow } from './types.js';
import type { Detector, DetectorAlert, DetectorEntry } from './types.js';

export interface PrivilegeEscalationRule {
  name: string;
  /** RE2 syntax, matched case-insensitively anywhere in the line. */
  regex: string;
}

/** Failed or unexpected privilege changes as sudo, su, PAM, usermod and gpasswd log them. */
export const DEFAULT_PRIVILEGE_RULES: readonly PrivilegeEscalationRule[] = [
  { name: 'sudo_auth_failure', regex: String.raw`sudo(?:\[\d+\])?:.*(?:authentication failure|incorrect password attempts?)` },
  { name: 'sudo_not_in_sudoers', regex: String.raw`user NOT in sudoers|is not in the sudoers file` },
  { name: 'su_auth_failure', regex: String.raw`\bsu(?:\[\d+\])?:.*(?:authentication failure|FAILED su)|pam_unix\(su(?:-l)?:auth\): authentication failure|FAILED SU \(to ` },
  { name: 'added_to_admin_group', regex: String.raw`(?:added (?:by \S+ )?to group|add '[^']+' to (?:shadow )?group '?)\s*'?(?:sudo|wheel|admin|root)\b` },
];

export interface PrivilegeEscalationSettings {
  rules: readonly PrivilegeEscalationRule[];
  windowMs: number;
  severity: string;
}

export const PRIVILEGE_ESCALATION_DEFAULTS: PrivilegeEscalationSettings = { rules: DEFAULT_PRIVILEGE_RULES, windowMs: 900_000, severity: 'high' };

export class PrivilegeEscalationDetector implements Detector {
  readonly name = 'privilege_escalation';
  private readonly compiled: Array<{ name: string; re: RE2JS; maybe: ((line: string) => boolean) | undefined; lits: string[] | undefined }>;
  /** False for a line no rule can match: every rule's required literals, in one test (undefined when some rule has none). */
  private readonly anyMaybe: ((line: string) => boolean) | undefined;
  private readonly counts: SlidingWindow;
  private readonly book = new AlertBook();

  /** Throws at construction for an invalid rule regex (fail fast at load). */
  constructor(private readonly s: PrivilegeEscalationSettings = PRIVILEGE_ESCALATION_DEFAULTS) {
    this.compiled = s.rules.map((r) => {
      try {
        const re = RE2JS.compile(r.regex, RE2JS.CASE_INSENSITIVE);
        const lits = requiredLiterals(r.regex);
        return { name: r.name, re, maybe: lits && literalTest(lits, true), lits };
      } catch (e) {
        throw new Error(`privilege_escalation rule ${JSON.stringify(r.name)}: invalid regex: ${(e as Error).message}`);
      }
    });
    const all = this.compiled.map((c) => c.lits);
    this.anyMaybe = all.every((l) => l !== undefined) ? literalTest(all.flat() as string[], true) : undefined;
    this.counts = new SlidingWindow(s.windowMs);
  }

  observe(e: DetectorEntry): void {
    if (this.anyMaybe && !this.anyMaybe(e.line)) return;
    for (const r of this.compiled) {
      if ((r.maybe && !r.maybe(e.line)) || !r.re.test(e.line)) continue;
      const n = this.counts.add(`${e.service}\u0000${r.name}`, e.t);
      const labels = { alertname: 'LogPrivilegeEscalation', service: e.service, severity: this.s.severity, detector: this.name, rule: r.name, pattern: e.patternId };
      this.book.fire(labels, e.t, e.t + this.s.windowMs, {
        summary: `Privilege escalation signal (${r.name}) on ${e.service}`,
        description: `${n} line(s) matching ${r.name} in the last ${formatWindow(this.s.windowMs)}.`,
        window: formatWindow(this.s.windowMs),
        count: n,
        sample: e.line,
      });
    }
  }

  tick(now: number): DetectorAlert[] {
    return this.book.tick(now);
  }
}
