import { Dispatcher } from '../alerting/index.js';
import type { GroupSnapshot, NotificationLog, NotificationLogEntry, Route } from '../alerting/index.js';
import type { AlertIntake, AlertSource, IntakeResult, PostableAlert } from '../model/alert.js';
import type { Clock, TimerHandle } from '../model/clock.js';
import type { Log } from '../model/log.js';
import type { Muter } from '../model/mute.js';
import type { DeliveryOutcome, Notification, PipelineListener } from '../model/notification.js';
import type { AlertStateStore } from './alert-state-store.js';
import type { AlertHistory, HistoryBatch, HistoryKind, HistoryRecord } from './history.js';
import { mergeStored, normalizeAlerts, shareUnchanged } from './intake.js';
import type { StoredAlert } from './intake.js';
import { EventQueue } from './event-queue.js';
import { StringInterner } from './intern.js';
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
  notified: readonly string[] | undefined;
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
  private readonly notifiedLists = new Map<string, readonly string[]>();
  private readonly strings = new StringInterner();
  private readonly observers: Array<(alert: StoredAlert) => void> = [];
  private dispatcher: Dispatcher;
  readonly muting: MutingStages;
  private route: Route;
  private sendResolvedFn: ((receiver: string) => boolean) | undefined;
  private readonly events: EventQueue;
  private sweepTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly opts: AlertPipelineOptions) {
    this.route = opts.route;
    this.events = new EventQueue((err, ev) => opts.log?.error({ err, event: ev.type }, 'alert pipeline subscriber failed'));
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
    const { alerts: valid, errors } = normalizeAlerts(alerts, source, now, this.resolveTimeout, this.strings);
    const stored: StoredAlert[] = [];
    const history: HistoryBatch[] = [];
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
  private accept(alert: StoredAlert, h: Held | undefined, now: number, history: HistoryBatch[]): void {
    // Every field in the literal: one added later moves the object's fields to a separate array (~40 bytes per alert).
    const entry: Held = h ?? { alert, announced: undefined, notified: undefined };
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
    if (state === 'firing') addToBatch(history, 'fired', now, alert.source, alert);
    else addToBatch(history, 'resolved', now, undefined, alert.fingerprint);
    this.events.emitAlert(state, alert, state === 'firing' ? this.muting.status(alert, now) : undefined);
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
      this.events.emitAlert('firing', h.alert, this.muting.status(h.alert, now));
    }
  }

  /** Alert and delivery events, in order. Returns an unsubscribe function. */
  subscribe(listener: PipelineListener): () => void {
    return this.events.subscribe(listener);
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
        h.notified = this.notifiedList(h.notified, key);
        return true;
      });
      if (news.length > 0) this.record([{ kind: 'notified', at: d.at, receiver: d.receiver, detail: d.status, alerts: news }]);
    } else if ((d.outcome === 'failed' || d.firstFailure) && d.fingerprints.length > 0) {
      this.record([{ kind: 'notify_failed', at: d.at, receiver: d.receiver, detail: d.error ?? '', alerts: d.fingerprints }]);
    }
    this.events.emit({ type: 'delivery', delivery: d });
  }

  /**
   * `before` with `key` added, as a list shared by every alert with the same one: alerts are
   * notified in groups, so a few lists serve them all instead of one array (~56 bytes) each.
   */
  private notifiedList(before: readonly string[] | undefined, key: string): readonly string[] {
    const id = before ? `${before.join('\u0001')}\u0001${key}` : key;
    let list = this.notifiedLists.get(id);
    if (!list) {
      // Receivers × statuses: few. Bounded all the same, should receivers come and go by reloads.
      if (this.notifiedLists.size >= 1024) this.notifiedLists.clear();
      this.notifiedLists.set(id, (list = Object.freeze(before ? [...before, key] : [key])));
    }
    return list;
  }

  private record(entries: readonly HistoryRecord[]): void {
    const h = this.opts.history;
    if (!h || entries.length === 0) return;
    h.record(entries).catch((err: unknown) => this.opts.log?.warn({ err }, 'recording alert history failed'));
  }

  /** Resolves once every event so far has been handled by the subscribers. */
  idle(): Promise<void> {
    return this.events.idle();
  }

  /** Restores persisted alerts (announcing them again to subscribers) and starts the resolve sweep. */
  async start(): Promise<void> {
    if (this.opts.store) {
      const now = this.opts.clock.now();
      await this.opts.store.pruneResolved(now - (this.opts.retainResolved ?? 30 * 60_000));
      const restored = await this.opts.store.all();
      for (const a of restored) {
        const h: Held = { alert: a, announced: undefined, notified: undefined };
        this.held.set(a.fingerprint, h);
        for (const o of this.observers) o(a);
        const resolved = a.endsAt !== 0 && a.endsAt <= now;
        h.announced = resolved ? 'resolved' : 'firing';
        this.events.emitAlert(resolved ? 'resolved' : 'firing', a, resolved ? undefined : this.muting.status(a, now));
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
    const history: HistoryBatch[] = [];
    for (const [fp, h] of this.held) {
      const a = h.alert;
      if (a.endsAt === 0 || a.endsAt > now) continue;
      if (h.announced === 'firing') {
        h.announced = 'resolved';
        h.notified = undefined;
        addToBatch(history, 'resolved', now, a.timeout ? 'resolve_timeout' : undefined, fp);
        this.events.emitAlert('resolved', a, undefined);
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

/** Adds an alert's entry to the last batch when it has the same kind, time and detail, else to a new one: entries stay in order. */
function addToBatch(out: HistoryBatch[], kind: HistoryKind, at: number, detail: string | undefined, alert: HistoryBatch['alerts'][number]): void {
  const last = out[out.length - 1];
  if (last && last.kind === kind && last.at === at && last.detail === detail) {
    (last.alerts as Array<HistoryBatch['alerts'][number]>).push(alert);
    return;
  }
  out.push({ kind, at, ...(detail !== undefined ? { detail } : {}), alerts: [alert] });
}
