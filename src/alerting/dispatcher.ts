import { isResolved } from '../model/alert.js';
import type { Alert } from '../model/alert.js';
import type { Clock, TimerHandle } from '../model/clock.js';
import { fingerprint, formatLabels } from '../model/labels.js';
import type { Labels } from '../model/labels.js';
import { compareAlertLabels, mergeAlert } from './alert-order.js';
import { InMemoryNotificationLog, fingerprintSet, needsUpdate } from './nflog.js';
import type { NotificationLog, NotificationLogEntry } from './nflog.js';
import { groupLabelsFor } from './route.js';
import type { Route } from './route.js';
import type { Notification, NotificationAlert } from '../model/notification.js';

export type AlertStatus = 'firing' | 'resolved';

export type { Notification, NotificationAlert };

export interface AlertSnapshot extends Alert {
  readonly fingerprint: string;
  readonly status: AlertStatus;
  readonly receivers: readonly string[];
}

export interface GroupSnapshot {
  readonly receiver: string;
  readonly groupKey: string;
  readonly routeId: string;
  readonly labels: Labels;
  readonly alerts: readonly AlertSnapshot[];
}

export interface DispatcherOptions {
  readonly route: Route;
  readonly clock: Clock;
  /**
   * Hands a notification on (the app enqueues it in the durable outbox). Resolving means
   * it is safely recorded; rejecting means the next flush tries again.
   */
  readonly notify: (n: Notification) => Promise<void>;
  /**
   * When given, used instead of notify + nflog.set: hands the notification on and records its
   * log entry in one durable step, so a crash between the two cannot send it twice.
   */
  readonly notifyAndLog?: (n: Notification, entry: NotificationLogEntry) => Promise<void>;
  readonly nflog?: NotificationLog;
  /** Whether resolved alerts are news for a receiver (any of its integrations has send_resolved). Default: true. */
  readonly sendResolved?: (receiver: string) => boolean;
  readonly onError?: (err: unknown, groupKey: string) => void;
  /**
   * The muting stages, applied at every flush to the group's alerts: returns the alerts the
   * receiver may be told about. `told` holds the fingerprints the receiver was last told were
   * firing. An empty result sends nothing and leaves the notification log as it was.
   */
  readonly filter?: FlushFilter;
}

/** An alert of a group as a flush sees it: firing or resolved by its endsAt at the flush's time. */
export interface FlushAlert extends Alert {
  readonly fingerprint: string;
}

export type FlushFilter = (
  group: { readonly route: Route; readonly groupKey: string },
  alerts: readonly FlushAlert[],
  told: ReadonlySet<string>,
  now: number,
) => readonly FlushAlert[];

const NONE: readonly string[] = [];

class AggregationGroup {
  readonly alerts = new Map<string, FlushAlert>();
  /**
   * The alerts in notification order, kept from one flush to the next until the group
   * changes: a group that did not change (most of them, most of the time) is flushed every
   * group_interval without sorting or copying its alerts again. The alerts themselves, not a
   * view of each: the view a receiver gets is made only for a flush that sends.
   */
  sorted: FlushAlert[] | undefined;
  /**
   * The views sent last, by alert: while a group keeps changing (a burst adding alerts at every
   * group_interval) each notification repeats most of the last one's alerts, and making their
   * views anew each time was garbage enough to reach V8's old generation. Dropped at the first
   * flush that sends nothing, so a quiet group keeps no view.
   */
  views: Map<FlushAlert, NotificationAlert> | undefined;
  timer: TimerHandle | undefined;
  chain: Promise<void> = Promise.resolve();

  constructor(
    readonly route: Route,
    readonly labels: Labels,
    readonly groupKey: string,
    /** The dispatcher's map key: the route and the values of its group_by labels. */
    readonly lookupKey: string,
  ) {}
}

/**
 * Which group of `route` the labels belong to, as a map key: cheaper than the group key
 * (which sorts and quotes the group labels), as every alert received needs it.
 */
function lookupKeyOf(route: Route, labels: Labels): string {
  if (route.opts.groupByAll) return `${route.idx}\u0000${formatLabels(labels)}`;
  let k = String(route.idx);
  // Length-prefixed, so no value can imitate a separator.
  for (const n of route.opts.groupBy) {
    const v = labels[n];
    k += v ? `\u0000${v.length}:${v}` : '\u0000';
  }
  return k;
}

/**
 * Sorts alerts into aggregation groups per matching route and group labels, and flushes each
 * group with Alertmanager's timing: first after group_wait (at once if its first alert is
 * already older than that), then every group_interval; a flush notifies only when the
 * notification log says the receiver has not seen this state or repeat_interval has passed.
 */
export class Dispatcher {
  private readonly groupsByKey = new Map<string, AggregationGroup>();
  private readonly nflog: NotificationLog;
  private stopped = false;

  constructor(private readonly opts: DispatcherOptions) {
    this.nflog = opts.nflog ?? new InMemoryNotificationLog();
  }

  /**
   * Accepts alerts. An alert whose labels equal a stored one's (same fingerprint) updates it;
   * a resolved alert stays in its groups until a flush has handled it. No-op after stop().
   */
  put(alerts: ReadonlyArray<Alert & { readonly fingerprint?: string }>): void {
    if (this.stopped) return;
    const now = this.opts.clock.now();
    for (const incoming of alerts) {
      const fp = incoming.fingerprint ?? fingerprint(incoming.labels);
      const routes = this.opts.route.match(incoming.labels);
      const groups = routes.map((r) => this.groupFor(r, incoming.labels));
      const existing = groups.map((g) => g.alerts.get(fp)).find((a) => a !== undefined);
      const merged: Alert & { readonly fingerprint?: string } = existing ? mergeAlert(existing, incoming, now) : incoming;
      // The pipeline's alerts carry their fingerprint: held as they are, not copied.
      const alert: FlushAlert = merged.fingerprint === fp ? (merged as FlushAlert) : { ...merged, fingerprint: fp };
      for (const g of groups) {
        const isNew = g.timer === undefined;
        g.alerts.set(fp, alert);
        g.sorted = undefined;
        if (isNew) {
          const wait = alert.startsAt + g.route.opts.groupWait < now ? 0 : g.route.opts.groupWait;
          this.schedule(g, wait);
        }
      }
    }
  }

  private groupFor(route: Route, labels: Labels): AggregationGroup {
    const lookupKey = lookupKeyOf(route, labels);
    let g = this.groupsByKey.get(lookupKey);
    if (!g) {
      const groupLabels = groupLabelsFor(route, labels);
      g = new AggregationGroup(route, groupLabels, `${route.key}:${formatLabels(groupLabels)}`, lookupKey);
      this.groupsByKey.set(lookupKey, g);
    }
    return g;
  }

  private schedule(g: AggregationGroup, ms: number): void {
    g.timer = this.opts.clock.setTimeout(() => {
      if (this.stopped) return;
      this.schedule(g, g.route.opts.groupInterval);
      g.chain = g.chain.then(() => this.flush(g)).catch((err) => this.opts.onError?.(err, g.groupKey));
    }, ms);
  }

  private async flush(g: AggregationGroup): Promise<void> {
    if (g.alerts.size === 0 || this.stopped) return;
    const now = this.opts.clock.now();
    g.sorted ??= [...g.alerts.values()].sort((a, b) => compareAlertLabels(a.labels, b.labels));
    const snapshot = g.sorted;
    const receiver = g.route.opts.receiver;
    const entry = await this.nflog.get(receiver, g.groupKey);
    const alerts = this.opts.filter ? this.opts.filter(g, snapshot, fingerprintSet(entry?.firing ?? NONE), now) : snapshot;
    if (alerts.length === 0 || !(await this.notifyIfNeeded(g, alerts, entry, now))) g.views = undefined;
    // Handled resolved alerts leave the group, unless they were updated during the flush.
    for (const a of snapshot) {
      const fp = a.fingerprint;
      if (isResolved(a, now) && g.alerts.get(fp) === a) {
        g.alerts.delete(fp);
        g.sorted = undefined;
      }
    }
    if (g.alerts.size === 0) this.removeGroup(g);
  }

  /** Whether it sent a notification. */
  private async notifyIfNeeded(g: AggregationGroup, alerts: readonly FlushAlert[], entry: NotificationLogEntry | undefined, now: number): Promise<boolean> {
    const firing: string[] = [];
    const resolved: string[] = [];
    for (const a of alerts) (isResolved(a, now) ? resolved : firing).push(a.fingerprint);
    const receiver = g.route.opts.receiver;
    const sendResolved = this.opts.sendResolved?.(receiver) ?? true;
    const decision = needsUpdate(entry, new Set(firing), new Set(resolved), sendResolved, g.route.opts.repeatInterval, now);
    if (decision.send) {
      const n: Notification = {
        receiver,
        groupKey: g.groupKey,
        groupLabels: g.labels,
        alerts: this.viewsOf(g, alerts, now),
        onlyResolvedChanged: decision.onlyResolvedChanged,
        at: now,
      };
      const logged = { firing, resolved, sentAt: now };
      if (this.opts.notifyAndLog) {
        await this.opts.notifyAndLog(n, logged);
      } else {
        await this.opts.notify(n);
        await this.nflog.set(receiver, g.groupKey, logged);
      }
    }
    return decision.send;
  }

  /** The views of `alerts` at `now`, reusing the group's last ones that still hold. */
  private viewsOf(g: AggregationGroup, alerts: readonly FlushAlert[], now: number): NotificationAlert[] {
    const views = (g.views ??= new Map());
    // Alerts replaced or gone since: their views go.
    for (const a of views.keys()) if (g.alerts.get(a.fingerprint) !== a) views.delete(a);
    return alerts.map((a) => {
      let v = views.get(a);
      if (v === undefined || v.status !== (isResolved(a, now) ? 'resolved' : 'firing')) views.set(a, (v = notificationAlertOf(a, now)));
      return v;
    });
  }

  private removeGroup(g: AggregationGroup): void {
    if (g.timer) this.opts.clock.clearTimeout(g.timer);
    g.timer = undefined;
    this.groupsByKey.delete(g.lookupKey);
  }

  /** Every alert held, with its status now and the receivers of the groups holding it. */
  alerts(): AlertSnapshot[] {
    const now = this.opts.clock.now();
    const byFp = new Map<string, { alert: Alert; receivers: Set<string> }>();
    for (const g of this.groupsByKey.values()) {
      for (const [fp, a] of g.alerts) {
        const e = byFp.get(fp) ?? { alert: a, receivers: new Set<string>() };
        if (a.updatedAt > e.alert.updatedAt) e.alert = a;
        e.receivers.add(g.route.opts.receiver);
        byFp.set(fp, e);
      }
    }
    return [...byFp.entries()]
      .map(([fp, e]) => snapshotOf(fp, e.alert, [...e.receivers].sort(), now))
      .sort((a, b) => compareAlertLabels(a.labels, b.labels));
  }

  groups(): GroupSnapshot[] {
    const now = this.opts.clock.now();
    return [...this.groupsByKey.values()]
      .map((g) => ({
        receiver: g.route.opts.receiver,
        groupKey: g.groupKey,
        routeId: g.route.id,
        labels: g.labels,
        alerts: [...g.alerts.entries()]
          .map(([fp, a]) => snapshotOf(fp, a, [g.route.opts.receiver], now))
          .sort((a, b) => compareAlertLabels(a.labels, b.labels)),
      }))
      .sort((a, b) => (a.groupKey < b.groupKey ? -1 : a.groupKey > b.groupKey ? 1 : a.receiver.localeCompare(b.receiver)));
  }

  /** Cancels all timers and waits for flushes in progress. Alerts held are dropped. */
  async stop(): Promise<void> {
    this.stopped = true;
    const chains: Promise<void>[] = [];
    for (const g of this.groupsByKey.values()) {
      if (g.timer) this.opts.clock.clearTimeout(g.timer);
      g.timer = undefined;
      chains.push(g.chain);
    }
    await Promise.all(chains);
  }
}

/** What a receiver is told of an alert: a firing alert's endsAt is 0 (unknown), as Alertmanager sends it. */
function notificationAlertOf(a: FlushAlert, now: number): NotificationAlert {
  const resolved = isResolved(a, now);
  return { status: resolved ? 'resolved' : 'firing', labels: a.labels, annotations: a.annotations, startsAt: a.startsAt, endsAt: resolved ? a.endsAt : 0, generatorURL: a.generatorURL, fingerprint: a.fingerprint };
}

function snapshotOf(fp: string, a: Alert, receivers: string[], now: number): AlertSnapshot {
  return { ...a, fingerprint: fp, status: isResolved(a, now) ? 'resolved' : 'firing', receivers };
}
