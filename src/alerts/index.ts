/**
 * The one alert pipeline. Every alert — from checks, log detectors, the rule engine, SLOs, or
 * posted by other systems to POST /api/v2/alerts — goes through it:
 *
 *   source ─► intake() ─► alert store (fingerprint, dedup/merge, startsAt/endsAt,
 *             resolve_timeout) ─► route + group (alerting/ Dispatcher) ─► at each group flush:
 *             muting stages (inhibit → time intervals → silences → …) ─► notification log
 *             (dedup, repeat_interval) ─► notify (notify/ outbox: durable, retried)
 *   transitions (firing / resolved) and delivery outcomes ─► subscribers (incidents, …)
 *                                                        ─► alert history
 *
 * ## Adding an alert source
 *
 * A source takes one function, `AlertIntake` (model/alert.ts), and calls it with
 * `PostableAlert`s — the shape Prometheus's sendAlerts posts to Alertmanager: labels,
 * annotations, startsAt, endsAt, generatorURL — and an `AlertSource` naming it:
 *
 *   constructor(opts: { intake: AlertIntake; … })
 *   await opts.intake([{ labels, annotations, startsAt, endsAt: now + 4 * resendDelay, generatorURL }], { name: 'rules' });
 *
 * The source depends on model/ only. Firing: endsAt in the future (resent before it passes,
 * as Prometheus does) or absent (then resolve_timeout applies, or, with
 * `holdsUntilResolved`, the alert fires until the source sends it with an endsAt ≤ now).
 * Resolving: send the same labels with endsAt ≤ now. The app wires `pipeline.intake` into
 * the source; nothing else of the pipeline is visible to it.
 *
 * ## Adding a muting stage
 *
 * Implement `Muter` (model/mute.ts): a `stage` name (shown in status and history), a
 * `scope` ('alert': decides on the alert alone, like silences, inhibitions, maintenance
 * windows; 'route': decides per route at notification time, like time intervals) and a cheap
 * synchronous `mutedBy(alert, now, route?)` returning what mutes it (ids) or []. Pass it in
 * `muters` (configured stages) or call `pipeline.addMuter(m)`. A stage that needs to see
 * alerts as they arrive (the inhibitor keeps its source alerts) registers
 * `pipeline.observe(fn)`. Muted alerts are left out of notifications; a resolved alert the
 * receiver was told was firing is never muted (Alertmanager #226).
 *
 * ## Subscribing
 *
 * `pipeline.subscribe(listener)` receives `PipelineEvent`s (model/notification.ts) in order:
 * `{type: 'alert', kind: 'firing' | 'resolved', alert}` and `{type: 'delivery', delivery}`.
 * Listeners must be idempotent: after a restart the resumed alerts are announced again.
 * Escalation hooks in after routing picked a receiver: subscribe to delivery outcomes, or wrap
 * the notify function the app passes in.
 */
export { AlertPipeline, DEFAULT_RESOLVE_TIMEOUT } from './pipeline.js';
export type { AlertPipelineOptions, AlertStatusView } from './pipeline.js';
export { normalizeAlerts, mergeStored } from './intake.js';
export type { StoredAlert, NormalizeResult } from './intake.js';
export { MutingStages } from './muting.js';
export type { MuteVerdict } from './muting.js';
export { InMemoryAlertHistory } from './history.js';
export type { AlertHistory, HistoryEntry, HistoryKind, HistoryQuery } from './history.js';
export { InMemoryAlertStateStore } from './alert-state-store.js';
export { WriteBehindAlertStore } from './write-behind-store.js';
export type { WriteBehindOptions } from './write-behind-store.js';
export { alertsConfigSchema } from './config.js';
export type { AlertStateStore } from './alert-state-store.js';
