import type { MuteRoute, MuteTarget, Muter } from '../model/mute.js';
import { isResolved } from '../model/alert.js';
import type { Alert } from '../model/alert.js';
import type { HistoryEntry } from './history.js';

export interface MuteVerdict {
  readonly stage: string;
  readonly by: readonly string[];
}

const NO_VERDICTS: readonly MuteVerdict[] = Object.freeze([]);

/**
 * The muting stages in Alertmanager's order (inhibit, time intervals, silence — the order they
 * were added in), applied when a group is flushed. An alert muted by any stage is left out of
 * the notification, except that a resolved alert the receiver was told was firing is always
 * let through (Alertmanager issue #226: otherwise a silenced-then-resolved alert is never
 * resolved at the receiver). A route-scope stage that mutes the route mutes every alert of the
 * flush under that same exception. Changes of an alert's verdict go to `onHistory`.
 */
export class MutingStages {
  private muters: readonly Muter[];
  /** Last verdict per alert: '' for alert scope, a receiver name for route scope. */
  private readonly last = new Map<string, Map<string, string>>();

  constructor(
    muters: readonly Muter[],
    private readonly onHistory: (entries: HistoryEntry[]) => void = () => {},
  ) {
    this.muters = muters;
  }

  set(muters: readonly Muter[]): void {
    this.muters = muters;
  }

  add(muter: Muter): void {
    this.muters = [...this.muters, muter];
  }

  get stages(): readonly Muter[] {
    return this.muters;
  }

  /** What mutes the alert regardless of route (its status in the API): one verdict per muting stage. */
  status(alert: MuteTarget, now: number): readonly MuteVerdict[] {
    let out: MuteVerdict[] | undefined;
    for (const m of this.muters) {
      if (m.scope !== 'alert') continue;
      const by = m.mutedBy(alert, now);
      if (by.length > 0) (out ??= []).push({ stage: m.stage, by });
    }
    // Nothing mutes most alerts: one shared empty list instead of one per alert and event.
    return out ?? NO_VERDICTS;
  }

  /** The route-scope stages muting `route` now (time intervals, …). */
  routeStatus(route: MuteRoute, now: number): MuteVerdict[] {
    const out: MuteVerdict[] = [];
    for (const m of this.muters) {
      if (m.scope !== 'route') continue;
      const by = m.mutedBy({ fingerprint: '', labels: {} }, now, route);
      if (by.length > 0) out.push({ stage: m.stage, by });
    }
    return out;
  }

  /** The dispatcher's flush filter: `alerts` itself when none is muted (most flushes), else a copy without them. */
  filter<A extends MuteTarget & Pick<Alert, 'endsAt'>>(route: MuteRoute, alerts: readonly A[], told: ReadonlySet<string>, now: number): readonly A[] {
    const history: HistoryEntry[] = [];
    const routeMuted = this.routeStatus(route, now);
    let out: A[] | undefined;
    alerts.forEach((a, i) => {
      const resolved = isResolved(a, now);
      const verdicts = !resolved || !told.has(a.fingerprint) ? this.status(a, now) : NO_VERDICTS;
      this.note(a.fingerprint, verdicts, now, undefined, history);
      if (routeMuted.length > 0) this.note(a.fingerprint, routeMuted, now, route.receiver, history);
      const exempt = resolved && told.has(a.fingerprint);
      const pass = exempt || (verdicts.length === 0 && routeMuted.length === 0);
      if (!pass) out ??= alerts.slice(0, i);
      else if (out) out.push(a);
    });
    if (routeMuted.length === 0) {
      for (const a of alerts) this.note(a.fingerprint, [], now, route.receiver, history);
    }
    if (history.length > 0) this.onHistory(history);
    return out ?? alerts;
  }

  /** Records a change of the verdict on `fp` (for one receiver, or for the alert as a whole). */
  private note(fp: string, verdicts: readonly MuteVerdict[], now: number, receiver: string | undefined, out: HistoryEntry[]): void {
    const text = verdicts.length === 0 ? '' : JSON.stringify(verdicts);
    const scope = receiver ?? '';
    let byScope = this.last.get(fp);
    const before = byScope?.get(scope) ?? '';
    if (text === before) return;
    if (!byScope) this.last.set(fp, (byScope = new Map()));
    if (text === '') byScope.delete(scope);
    else byScope.set(scope, text);
    if (byScope.size === 0) this.last.delete(fp);
    const prev: MuteVerdict[] = before ? (JSON.parse(before) as MuteVerdict[]) : [];
    const r = receiver !== undefined ? { receiver } : {};
    for (const v of verdicts) {
      const p = prev.find((x) => x.stage === v.stage);
      if (!p || p.by.join('\u0000') !== v.by.join('\u0000')) out.push({ fingerprint: fp, at: now, kind: 'muted', stage: v.stage, by: v.by, ...r });
    }
    for (const p of prev) {
      if (!verdicts.some((v) => v.stage === p.stage)) out.push({ fingerprint: fp, at: now, kind: 'unmuted', stage: p.stage, ...r });
    }
  }

  /** Forgets verdicts of an alert that left the pipeline. */
  forget(fp: string): void {
    this.last.delete(fp);
  }
}
