import { Dispatcher } from '../alerting/index.js';
import type { GroupSnapshot, NotificationLog, NotificationLogEntry, Route } from '../alerting/index.js';
import type { AlertIntake, AlertSource, IntakeResult, PostableAlert } from '../model/alert.js';
import type { Clock, TimerHandle } from '../model/clock.js';
import type { Log } from '../model/log.js';
import type { Muter } from '../model/mute.js';
import type { DeliveryOutcome, Notification, PipelineEvent, PipelineListener } from '../model/notification.js';
import type { AlertStateStore } from './alert-state-store.js';
import type { AlertHistory, HistoryEntry } from './history.js';
import { mergeStored, normalizeAlerts, shareUnchanged } from './intake.js';
import type { StoredAlert } from './intake.js';
import { MutingStages } from './muting.js';
import type { MuteVerdict } from './muting.js';

/** Alertmanager's default `resolve_timeout`. */
export const DEFAULT_RESOLVE_TIMEOUT = 5 * 60_000;

export interface AlertPipelineOptions {
  readonly clock: Clock;
  /** The routing tree (alerting/'s buildRoute). */
  readonly route: Route;
  /** The notify stage: durably hands a notification on (the outbox). Rejecting = retried at the next flush. */
  readonly notify: (n: Notification) => Promise<void>;
  /** notify and the notification log's write in one durable step (see DispatcherOptions). */
  readonly notifyAndLog?: (n: Notification, entry: NotificationLogEntry) => Promise<void>;
  /** Whether resolved alerts are news to a receiver (any of its integrations has send_resolved). */
  readonly sendResolved?: (receiver: string) => boolean;
  readonly nflog?: NotificationLog;
  readonly store?: AlertStateStore;
  readonly history?: AlertHistory;
  /** Muting stages in order (inhibit, time intervals, silences, then any added later). */
  readonly muters?: readonly Muter[];
  /** How long a posted alert without endsAt stays firing without a resend, ms. Default 5m. */
  readonly resolveTimeout?: number;
  /** How often alerts whose endsAt passed are announced as resolved, ms. Default 1s. */
  readonly sweepInterval?: number;
  /** How long a resolved alert is kept (for merging late resends and for the API), ms. Default 30m. */
  readonly retainResolved?: number;
  readonly log?: Log;
}

/** An alert with its state as GET /api/v2/alerts shows it. */
export interface AlertStatusView {
  readonly alert: StoredAlert;
  readonly state: 'active' | 'suppressed' | 'unprocessed';
  readonly resolved: boolean;
  /** One verdict per alert-scope muting stage that mutes it (silenced, inhibited, …). */
  readonly mutedBy: readonly MuteVerdict[];
  readonly receivers: readonly string[];
}

interface Held {
  alert: StoredAlert;
  /** What subscribers were last told: firing or resolved. */
  announced: 'firing' | 'resolved' | undefined;
  /** Receiver and status of the notifications recorded in its history since it last fired or resolved. */
  notified?: readonly string[];
}

/**
 * The one alert pipeline. See index.ts for how sources and stages plug in.
 *
 * intake() → alert store keyed by fingerprint (dedup and merge as Alertmanager's store) →
 * observers (synchronous: the inhibitor's source cache) → dispatcher (route, group, timers)
 * whose flushes pass the muting stages and the notification log → notify (outbox).
 * Transitions (firing, resolved — explicit or by resolve_timeout) and delivery outcomes go to
 * subscribers in order, and to the alert history.
 */
export class AlertPipeline {
  private readonly held = new Map<string, Held>();
  private listeners: readonly PipelineListener[] = [];
  private readonly observers: Array<(alert: StoredAlert) => void> = [];
  private dispatcher: Dispatcher;
  readonly muting: MutingStages;
  private route: Route;
  private sendResolvedFn: ((receiver: string) => boolean) | undefined;
  /**
   * Events not yet handled by subscribers, from `head` on, each with the subscribers there were
   * when it happened (`listeners` is replaced, never changed in place). A queue drained by one
   * loop instead of a promise chain: a burst of 50,000 alerts firing is 50,000 events waiting
   * for the incidents subscriber, and a chain held a promise, a closure and its context for each.
   */
  private events: PipelineEvent[] = [];
  private eventListeners: Array<readonly PipelineListener[]> = [];
  private head = 0;
  private draining: Promise<void> | undefined;
  private sweepTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly opts: AlertPipelineOptions) {
    this.route = opts.route;
    this.sendResolvedFn = opts.sendResolved;
    this.muting = new MutingStages(opts.muters ?? [], (entries) => this.record(entries));
    this.dispatcher = this.newDispatcher();
  }

  private newDispatcher(): Dispatcher {
    return new Dispatcher({
      route: this.route,
      clock: this.opts.clock,
      ...(this.opts.nflog ? { nflog: this.opts.nflog } : {}),
      notify: this.opts.notify,
      ...(this.opts.notifyAndLog ? { notifyAndLog: this.opts.notifyAndLog } : {}),
      ...(this.sendResolvedFn ? { sendResolved: this.sendResolvedFn } : {}),
      filter: (g, alerts, told, now) => this.muting.filter(g.route.opts, alerts, told, now),
      onError: (err, groupKey) => this.opts.log?.error({ err, groupKey }, 'alert group flush failed; will retry at the next group_interval'),
    });
  }

  get resolveTimeout(): number {
    return this.opts.resolveTimeout ?? DEFAULT_RESOLVE_TIMEOUT;
  }

  /**
   * The intake every source uses. Valid alerts are merged into the store, routed and
   * persisted before this resolves; invalid ones are reported and skipped.
   */
  readonly intake: AlertIntake = (alerts, source) => this.take(alerts, source);

  private async take(alerts: readonly PostableAlert[], source: AlertSource): Promise<IntakeResult> {
    if (this.stopped) throw new Error('alert pipeline is stopped');
    const now = this.opts.clock.now();
    const { alerts: valid, errors } = normalizeAlerts(alerts, source, now, this.resolveTimeout);
    const stored: StoredAlert[] = [];
    const history: HistoryEntry[] = [];
    for (const incoming of valid) {
      const h = this.held.get(incoming.fingerprint);
      const alert = h ? mergeStored(h.alert, shareUnchanged(h.alert, incoming), now) : incoming;
      stored.push(alert);
      this.accept(alert, h, now, history);
    }
    this.dispatcher.put(stored);
    if (history.length > 0) this.record(history);
    if (stored.length > 0 && this.opts.store) await this.opts.store.save(stored);
    return { accepted: stored.length, errors };
  }

  /** Holds an alert, tells observers, and announces a change between firing and resolved. */
  private accept(alert: StoredAlert, h: Held | undefined, now: number, history: HistoryEntry[]): void {
    const entry: Held = h ?? { alert, announced: undefined };
    entry.alert = alert;
    if (!h) this.held.set(alert.fingerprint, entry);
    for (const o of this.observers) o(alert);
    const state = alert.endsAt !== 0 && alert.endsAt <= now ? 'resolved' : 'firing';
    if (state === entry.announced) return;
    if (state === 'resolved' && entry.announced === undefined) {
      // Never seen firing: nothing to resolve for subscribers.
      entry.announced = 'resolved';
      return;
    }
    entry.announced = state;
    entry.notified = undefined;
    history.push(
      state === 'firing'
        ? { fingerprint: alert.fingerprint, at: now, kind: 'fired', labels: alert.labels, detail: alert.source }
        : { fingerprint: alert.fingerprint, at: now, kind: 'resolved' },
    );
    this.emit(state === 'firing' ? { type: 'alert', kind: state, alert, mutedBy: this.muting.status(alert, now) } : { type: 'alert', kind: state, alert });
  }

  /**
   * Announces again the firing alerts that `filter` picks, with their muting verdicts now:
   * when a muting stage lets go of them (a maintenance window ended), subscribers that held
   * them back (incidents) hear of them. Subscribers are idempotent, so the others ignore it.
   */
  reannounce(filter: (alert: StoredAlert) => boolean): void {
    const now = this.opts.clock.now();
    for (const h of this.held.values()) {
      if (h.announced !== 'firing' || !filter(h.alert)) continue;
      this.emit({ type: 'alert', kind: 'firing', alert: h.alert, mutedBy: this.muting.status(h.alert, now) });
    }
  }

  /** Alert and delivery events, in order. Returns an unsubscribe function. */
  subscribe(listener: PipelineListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /**
   * Called synchronously with every alert the store accepts (after merging), before routing.
   * For stages that keep their own view of alerts (the inhibitor's source alerts).
   */
  observe(observer: (alert: StoredAlert) => void): void {
    this.observers.push(observer);
    for (const h of this.held.values()) observer(h.alert);
  }

  /** Adds a muting stage after the configured ones (maintenance windows, …). */
  addMuter(muter: Muter): void {
    this.muting.add(muter);
  }

  /** A delivery outcome from the notify stage: history, then subscribers. */
  recordDelivery(d: DeliveryOutcome): void {
    if (d.outcome === 'sent') {
      // Once per receiver and status while the alert stays firing (or resolved): a group of 100
      // alerts changing every group_interval would otherwise write 100 entries per flush.
      const key = `${d.receiver}\u0000${d.status}`;
      const news = d.fingerprints.filter((fp) => {
        const h = this.held.get(fp);
        if (!h) return true;
        if (h.notified?.includes(key)) return false;
        // A list of exactly its length: push() on an empty array reserves room for 17 (~150 bytes per alert).
        h.notified = h.notified ? [...h.notified, key] : [key];
        return true;
      });
      this.record(news.map((fp) => ({ fingerprint: fp, at: d.at, kind: 'notified' as const, receiver: d.receiver, detail: d.status })));
    } else if (d.outcome === 'failed' || d.firstFailure) {
      this.record(d.fingerprints.map((fp) => ({ fingerprint: fp, at: d.at, kind: 'notify_failed' as const, receiver: d.receiver, detail: d.error ?? '' })));
    }
    this.emit({ type: 'delivery', delivery: d });
  }

  private emit(ev: PipelineEvent): void {
    if (this.listeners.length === 0) return;
    this.events.push(ev);
    this.eventListeners.push(this.listeners);
    // Never synchronously: subscribers hear of an event after the call that caused it returns.
    this.draining ??= Promise.resolve().then(() => this.drain());
  }

  private async drain(): Promise<void> {
    while (this.head < this.events.length) {
      const ev = this.events[this.head] as PipelineEvent;
      const listeners = this.eventListeners[this.head] as readonly PipelineListener[];
      this.head++;
      if (this.head === this.events.length) {
        this.events = [];
        this.eventListeners = [];
        this.head = 0;
      } else if (this.head >= 4096) {
        this.events = this.events.slice(this.head);
        this.eventListeners = this.eventListeners.slice(this.head);
        this.head = 0;
      }
      for (const l of listeners) {
        try {
          await l(ev);
        } catch (err) {
          this.opts.log?.error({ err, event: ev.type }, 'alert pipeline subscriber failed');
        }
      }
    }
    this.draining = undefined;
  }

  private record(entries: HistoryEntry[]): void {
    const h = this.opts.history;
    if (!h || entries.length === 0) return;
    h.record(entries).catch((err: unknown) => this.opts.log?.warn({ err }, 'recording alert history failed'));
  }

  /** Resolves once every event so far has been handled by the subscribers. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Restores persisted alerts (announcing them again to subscribers) and starts the resolve sweep. */
  async start(): Promise<void> {
    if (this.opts.store) {
      const now = this.opts.clock.now();
      await this.opts.store.pruneResolved(now - (this.opts.retainResolved ?? 30 * 60_000));
      const restored = await this.opts.store.all();
      for (const a of restored) {
        const h: Held = { alert: a, announced: undefined };
        this.held.set(a.fingerprint, h);
        for (const o of this.observers) o(a);
        const resolved = a.endsAt !== 0 && a.endsAt <= now;
        h.announced = resolved ? 'resolved' : 'firing';
        this.emit(resolved ? { type: 'alert', kind: 'resolved', alert: a } : { type: 'alert', kind: 'firing', alert: a, mutedBy: this.muting.status(a, now) });
      }
      this.dispatcher.put(restored);
    }
    this.scheduleSweep();
  }

  private scheduleSweep(): void {
    if (this.stopped) return;
    this.sweepTimer = this.opts.clock.setTimeout(() => {
      this.sweep();
      this.scheduleSweep();
    }, this.opts.sweepInterval ?? 1000);
  }

  /** Announces alerts whose endsAt has passed and forgets those resolved long enough ago. */
  sweep(): void {
    const now = this.opts.clock.now();
    const retain = this.opts.retainResolved ?? 30 * 60_000;
    const history: HistoryEntry[] = [];
    for (const [fp, h] of this.held) {
      const a = h.alert;
      if (a.endsAt === 0 || a.endsAt > now) continue;
      if (h.announced === 'firing') {
        h.announced = 'resolved';
        h.notified = undefined;
        history.push({ fingerprint: fp, at: now, kind: 'resolved', ...(a.timeout ? { detail: 'resolve_timeout' } : {}) });
        this.emit({ type: 'alert', kind: 'resolved', alert: a });
      } else if (a.endsAt < now - retain) {
        this.held.delete(fp);
        this.muting.forget(fp);
      }
    }
    this.record(history);
  }

  /** Swaps the routing tree and the receivers' send_resolved after a reload. Groups restart. */
  async reconfigure(route: Route, sendResolved: ((receiver: string) => boolean) | undefined, muters?: readonly Muter[]): Promise<void> {
    await this.dispatcher.stop();
    this.route = route;
    this.sendResolvedFn = sendResolved;
    if (muters) this.muting.set(muters);
    this.dispatcher = this.newDispatcher();
    this.dispatcher.put([...this.held.values()].map((h) => h.alert));
  }

  /** Every alert held, with its state now. */
  alerts(): AlertStatusView[] {
    const now = this.opts.clock.now();
    const out: AlertStatusView[] = [];
    const receiversOf = new Map<string, readonly string[]>();
    for (const h of this.held.values()) {
      const a = h.alert;
      const resolved = a.endsAt !== 0 && a.endsAt <= now;
      const mutedBy = resolved ? [] : this.muting.status(a, now);
      const routes = this.route.match(a.labels);
      const key = routes.map((r) => r.idx).join(',');
      let receivers = receiversOf.get(key);
      if (!receivers) receiversOf.set(key, (receivers = [...new Set(routes.map((r) => r.opts.receiver))]));
      out.push({ alert: a, state: mutedBy.length > 0 ? 'suppressed' : 'active', resolved, mutedBy, receivers });
    }
    return out;
  }

  get(fingerprint: string): StoredAlert | undefined {
    return this.held.get(fingerprint)?.alert;
  }

  firingCount(): number {
    const now = this.opts.clock.now();
    let n = 0;
    for (const h of this.held.values()) if (h.alert.endsAt === 0 || h.alert.endsAt > now) n++;
    return n;
  }

  groups(): GroupSnapshot[] {
    return this.dispatcher.groups();
  }

  get routeTree(): Route {
    return this.route;
  }

  history(): AlertHistory | undefined {
    return this.opts.history;
  }

  /** Stops timers and flushes in progress, writes the alerts a write-behind store holds, then waits for subscribers. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) this.opts.clock.clearTimeout(this.sweepTimer);
    await this.dispatcher.stop();
    await this.opts.store?.flush?.();
    await this.idle();
  }
}
