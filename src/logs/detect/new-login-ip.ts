import { authEvent } from './auth-events.js';
import { AlertBook, DetectorStateError, formatWindow, isStringArray, stateV1 } from './types.js';
import type { Detector, DetectorAlert, DetectorEntry } from './types.js';

export interface NewLoginIpSettings {
  /** Learning period from the first login seen: its (user, IP) pairs are the baseline. */
  learningMs: number;
  windowMs: number;
  severity: string;
  maxUsers: number;
  maxIpsPerUser: number;
}

export const NEW_LOGIN_IP_DEFAULTS: NewLoginIpSettings = { learningMs: 86_400_000, windowMs: 900_000, severity: 'medium', maxUsers: 50_000, maxIpsPerUser: 200 };

/** A successful login for a user from an IP never seen for that user (after the learning period). */
export class NewLoginIpDetector implements Detector {
  readonly name = 'new_login_ip';
  private readonly known = new Map<string, Set<string>>();
  private startedAt: number | undefined;
  private readonly book = new AlertBook();

  constructor(private readonly s: NewLoginIpSettings = NEW_LOGIN_IP_DEFAULTS) {}

  observe(e: DetectorEntry): void {
    const ev = authEvent(e);
    if (!ev || ev.outcome !== 'success' || !ev.user || !ev.ip) return;
    this.startedAt ??= e.t;
    const key = `${e.service}\u0000${ev.user}`;
    let ips = this.known.get(key);
    if (ips?.has(ev.ip)) return;
    if (!ips) {
      if (this.known.size >= this.s.maxUsers) return;
      ips = new Set();
      this.known.set(key, ips);
    }
    if (ips.size < this.s.maxIpsPerUser) ips.add(ev.ip);
    if (e.t < this.startedAt + this.s.learningMs) return;
    const labels = { alertname: 'LogLoginFromNewIP', service: e.service, severity: this.s.severity, detector: this.name, user: ev.user, source_ip: ev.ip };
    this.book.fire(labels, e.t, e.t + this.s.windowMs, {
      summary: `${ev.user} logged in to ${e.service} from a new IP ${ev.ip}`,
      description: `Successful login for ${ev.user} from ${ev.ip}, never seen for this user before (${ips.size - 1} known IP(s)).`,
      window: formatWindow(this.s.windowMs),
      count: 1,
      sample: e.line,
    });
  }

  tick(now: number): DetectorAlert[] {
    return this.book.tick(now);
  }

  /** The baseline: when learning started and each user's known IPs. */
  snapshot(): unknown {
    return { v: 1, startedAt: this.startedAt ?? null, known: [...this.known].map(([k, ips]) => [k, [...ips]]) };
  }

  restore(state: unknown): void {
    const st = stateV1(this.name, state);
    const known = st.known;
    if (
      !(st.startedAt === null || typeof st.startedAt === 'number') ||
      !Array.isArray(known) ||
      !known.every((e: unknown) => Array.isArray(e) && typeof e[0] === 'string' && isStringArray(e[1]))
    ) {
      throw new DetectorStateError(`${this.name}: saved state is malformed`);
    }
    this.startedAt = st.startedAt ?? undefined;
    this.known.clear();
    for (const [k, ips] of (known as Array<[string, string[]]>).slice(0, this.s.maxUsers)) this.known.set(k, new Set(ips.slice(0, this.s.maxIpsPerUser)));
  }
}
