import { isLoopback, FailureLimiter, SessionCodec, TokenVerifier, resolveTokenSecrets } from '../auth/index.js';
import { buildApi, registerMaintenanceRoutes, registerAckRoutes, registerAlertmanagerRoutes, registerConfigRoutes, registerLokiRoutes, registerOncallRoutes, registerPrometheusRoutes, registerPrometheusExtraRoutes, registerIngestRoutes, registerLogIngestRoutes, type ApiDeps } from '../api/index.js';
import { Tsdb } from '../tsdb/index.js';
import { Engine } from '../promql/index.js';
import { FanoutAppendable } from './fanout.js';
import { ScrapeManager, relabel } from '../scrape/index.js';
import { RemoteWriteQueue, RemoteWriteReceiver, PrometheusQueryable, SyslogServer } from '../ingest/index.js';
import { availableParallelism } from 'node:os';

import { LogStore, LogsRuntime, Redactor } from '../logs/index.js';
import { join } from 'node:path';
import { Inhibitor, Silences, TimeActiveStage, TimeMuteStage, buildInhibitRules, buildRoute } from '../alerting/index.js';
import { SqlSilenceStore } from '../alerting/store/sql-silence-store.js';
import { alertingMigrations } from '../alerting/store/migrations.js';
import { alertmanagerConfigText } from './alertmanager-config.js';
import { AlertPipeline, WriteBehindAlertStore } from '../alerts/index.js';
import { FollowUpService, IncidentService, incidentSubscriber, type Incident } from '../incidents/index.js';
import { SqlFollowUpRepo } from '../incidents/store/sql-followup-repo.js';
import { Integrations, Outbox, PAGE_INTEGRATION, goTemplates, contactNotifier, type NotifierDeps, plannedMessage, processSecrets, secretWarnings } from '../notify/index.js';
import { PagingRuntime } from './paging.js';
import { escalationView } from './paging-views.js';
import type { VigilConfig } from '../config/index.js';
import { systemClock, type Clock } from '../model/clock.js';
import { openSqlite, type OpenedDatabase } from '../db/database.js';
import { SqlIncidentRepo } from '../incidents/store/sql-incident-repo.js';
import { incidentsMigrations } from '../incidents/store/migrations.js';
import { SqlCheckStore } from '../probes/store/sql-check-store.js';
import { probesMigrations } from '../probes/store/migrations.js';
import { SqlOutboxStore, insertPlannedJobs, type PlannedJobs } from '../notify/store/sql-outbox-store.js';
import { notifyMigrations } from '../notify/store/migrations.js';
import { SqlAlertStore } from '../alerts/store/sql-alert-store.js';
import { SqlNotificationLog } from '../alerts/store/sql-nflog.js';
import { SqlAlertHistory } from '../alerts/store/sql-history.js';
import { alertsMigrations } from '../alerts/store/migrations.js';
import { oncallMigrations } from '../oncall/store/migrations.js';
import { CalendarFeeds } from '../oncall/index.js';
import { SqlCalendarFeedStore } from '../oncall/store/sql-calendar-feed-store.js';
import { LogIngestor } from '../ingest/index.js';
import type { FastifyInstance } from 'fastify';
import { CheckRuntime } from '../probes/index.js';
import { LatestSamples } from './latest-samples.js';
import { VigilMetrics } from './metrics.js';
import { RulesRuntime } from './rules.js';
import { createLogger, type Logger } from './logger.js';
import { VERSION, redactConfig } from '../config/index.js';
import { WEB_ROOT, loadSessionKey } from './web.js';
import { buildStatusPage, statusDeliverers } from './status-page.js';
import { statuspageMigrations } from '../statuspage/store/migrations.js';
import { createMaintenance } from './maintenance.js';
import { SloRuntime, compileConfigSlos } from './slos.js';
import { MAINTENANCE_STAGE, type MaintenanceService } from '../maintenance/index.js';
import { maintenanceMigrations } from '../maintenance/store/migrations.js';
import { buildReporting, reportingQueryProblems, validZone } from './reports.js';
import type { ReportScheduler } from '../reports/index.js';
import { registerReportRoutes } from '../api/index.js';

export interface AppOptions {
  readonly config: VigilConfig;
  readonly dataDir: string;
  /** Overrides server.listen. Port 0 picks a free port. */
  readonly listen?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Where `log` receivers write; defaults to the structured log. */
  readonly logLine?: (line: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called whenever an incident changes (the demo narrates with it). */
  readonly onIncident?: (incident: Incident) => void;
  /** vigil.yml's path: rule_files are relative to its directory, and a reload reads it again. */
  readonly configPath?: string;
}

export class StartupError extends Error {
  override name = 'StartupError';
}

function splitListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  return { host: listen.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(listen.slice(i + 1)) };
}

function tokensFromEnv(config: VigilConfig, env: Readonly<Record<string, string | undefined>>) {
  const r = resolveTokenSecrets(config.server.tokens, env);
  if (!r.ok) throw new StartupError(r.errors.join('; '));
  return r.tokens;
}

/** Every module's migrations, one record each. */
const MIGRATIONS = [incidentsMigrations, probesMigrations, notifyMigrations, alertsMigrations, alertingMigrations, oncallMigrations, statuspageMigrations, maintenanceMigrations];

/**
 * The composition root: builds every component from the config, wires them, and starts
 * and stops them in order. The only module that knows them all.
 */
export class VigilApp {
  private housekeeping: ReturnType<typeof setInterval> | undefined;
  private started = false;
  address = '';

  private constructor(
    readonly config: VigilConfig,
    readonly logger: Logger,
    readonly clock: Clock,
    private readonly database: OpenedDatabase,
    readonly incidents: IncidentService,
    readonly alerts: AlertPipeline,
    readonly outbox: Outbox,
    private readonly outboxStore: SqlOutboxStore,
    readonly checks: CheckRuntime,
    private readonly history: SqlAlertHistory,
    readonly http: FastifyInstance,
    private readonly listen: { host: string; port: number },
    readonly logs: LogStore,
    readonly tsdb: Tsdb,
    readonly engine: Engine,
    readonly scrapes: ScrapeManager,
    private readonly remoteWrites: readonly RemoteWriteQueue[],
    readonly logsRuntime: LogsRuntime,
    readonly syslog: SyslogServer | undefined,
    private readonly remoteWriteIn: RemoteWriteReceiver,
    readonly paging: PagingRuntime,
    readonly rules: RulesRuntime,
    private readonly metrics: VigilMetrics,
    readonly maintenance: MaintenanceService,
    readonly reportScheduler: ReportScheduler,
    readonly slos: SloRuntime,
  ) {}

  static async create(opts: AppOptions): Promise<VigilApp> {
    const { config } = opts;
    const clock = opts.clock ?? systemClock;
    const logger = opts.logger ?? createLogger(config.server.log_level);
    const listen = splitListen(opts.listen ?? config.server.listen);
    const tokens = tokensFromEnv(config, opts.env ?? process.env);
    if (tokens.length === 0 && !isLoopback(listen.host)) {
      throw new StartupError(
        `refusing to listen on ${listen.host}:${listen.port} without API tokens: anyone who can reach it could act on incidents. ` +
          'Configure server.tokens (see docs/configuration.md) or listen on 127.0.0.1.',
      );
    }
    const reportProblems = reportingQueryProblems(config);
    if (reportProblems.length) throw new StartupError(reportProblems.join('; '));
    const ruleFiles = RulesRuntime.readFiles(config, opts.configPath);
    if (!ruleFiles.ok) throw new StartupError(ruleFiles.message);
    const slos = compileConfigSlos(config, opts.configPath);
    if (!slos.ok) throw new StartupError(`SLOs: ${slos.errors.length} problem${slos.errors.length === 1 ? '' : 's'}:\n  ${slos.errors.join('\n  ')}`);
    const externalURL = config.server.external_url ?? `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}`;
    const database = await openSqlite(opts.dataDir, MIGRATIONS, { worker: true });
    const db = database.db;
    const lc = config.logs;
    const redactor = new Redactor({
      builtins: lc.redaction.builtins,
      rules: lc.redaction.rules.map((r) => ({ name: r.name, regex: r.regex, ...(r.replacement !== undefined ? { replacement: r.replacement } : {}) })),
      ...(lc.redaction.secret_fields ? { secretFieldNames: lc.redaction.secret_fields } : {}),
    });
    const logStore = await LogStore.open(join(opts.dataDir, 'logs'), {
      clock,
      retention: { maxAgeMs: lc.retention, ...(lc.max_bytes ? { maxBytes: lc.max_bytes } : {}) },
      redactor,
    });
    let paging: PagingRuntime | undefined;
    const incidents = new IncidentService({
      repo: new SqlIncidentRepo(db),
      config: config.incidents,
      clock,
      onChange: (i) => {
        opts.onIncident?.(i);
        paging?.onIncident(i);
      },
    });
    let outboxRef: Outbox | undefined;
    let notifierDeps: NotifierDeps | undefined;
    paging = await PagingRuntime.create({
      config,
      db,
      clock,
      incidents,
      externalURL,
      logger,
      userAgent: `Vigil/${VERSION}`,
      wakeOutbox: () => outboxRef?.poke(),
      env: opts.env ?? process.env,
      contact: (channel, address) => (notifierDeps ? contactNotifier(channel, address, notifierDeps, config.global) : { ok: false, error: 'notifiers are not ready' }),
    });
    const pager = paging;
    const mc = config.metrics;
    const metricLabelLimits = { maxNameLength: mc.max_label_name_length, maxValueLength: mc.max_label_value_length, maxLabels: mc.max_label_names_per_series };
    const tsdb = await Tsdb.open(join(opts.dataDir, 'metrics'), {
      clock,
      retentionMs: mc.retention,
      ...(mc.max_bytes ? { retentionBytes: mc.max_bytes } : {}),
      walSyncIntervalMs: mc.wal_sync === 'commit' ? 0 : mc.wal_sync,
      creationGracePeriodMs: mc.creation_grace_period,
      labelLimits: metricLabelLimits,
      logger: { warn: (msg: string) => logger.warn(msg), info: (msg: string) => logger.info(msg) },
    });
    const remoteWriteIn = new RemoteWriteReceiver(tsdb, {
      thread: mc.worker_thread ?? availableParallelism() > 1,
      idleStopMs: mc.worker_idle_stop,
      clock,
      labelLimits: metricLabelLimits,
      onError: (err) => logger.error({ err }, 'remote-write decoder thread failed; requests in flight answered 500'),
    });
    const engine = new Engine({
      lookbackDeltaMs: mc.lookback_delta,
      timeoutMs: mc.query_timeout,
      maxSamples: mc.max_samples,
      maxFetchedSamples: mc.max_fetched_samples,
      maxTotalSamples: mc.max_total_samples,
      maxPointsPerSeries: mc.max_points_per_series,
      maxSubquerySteps: mc.max_subquery_steps,
      maxConcurrent: mc.max_concurrent_queries,
    });
    const samples = new LatestSamples();
    const remoteWrites = config.remote_write.map(
      (rw) =>
        new RemoteWriteQueue({
          config: rw,
          clock,
          userAgent: `Vigil/${VERSION}`,
          ...(rw.write_relabel_configs.length ? { relabel: (l) => relabel(l, rw.write_relabel_configs) } : {}),
        }),
    );
    const sink = new FanoutAppendable([tsdb, samples, ...remoteWrites], (err) => logger.debug({ err }, 'sample rejected'));
    const scrapes = new ScrapeManager({ appendable: new FanoutAppendable([tsdb, ...remoteWrites], (err) => logger.debug({ err }, 'scraped sample rejected')), clock, configs: config.scrape_configs, userAgent: `Vigil/${VERSION}`, labelLimits: metricLabelLimits });
    const queryable = mc.query_remote
      ? new PrometheusQueryable({ url: mc.query_remote.url, headers: mc.query_remote.headers, timeout: mc.query_remote.timeout })
      : tsdb;
    const outboxStore = new SqlOutboxStore(db);
    // The pipeline is built after the metrics that read it.
    let alerts: AlertPipeline | undefined;
    const metrics = new VigilMetrics(samples, () => outboxStore.depth(), () => alerts?.firingCount() ?? 0);
    const logLine = opts.logLine ?? ((line: string) => logger.info({ receiver_type: 'log' }, line));
    notifierDeps = {
      externalURL,
      logLine,
      userAgent: `Vigil/${VERSION}`,
      templates: goTemplates(config.template_files, { now: () => clock.now() }),
      secrets: processSecrets,
      logger: { warn: (message, fields) => logger.warn({ ...fields }, message) },
      now: () => clock.now(),
    };
    const integrations = Integrations.fromConfig(config.receivers, notifierDeps, config.global);
    for (const w of secretWarnings(config.receivers, config.global, processSecrets)) logger.warn(`${w} (notifications that need it will fail until it can be read)`);
    const outbox = new Outbox({
      store: outboxStore,
      clock,
      integrations,
      initialBackoff: config.delivery.initial_backoff,
      maxBackoff: config.delivery.max_backoff,
      maxAge: config.delivery.give_up_after,
      concurrency: config.delivery.concurrency,
      pager: pager.pager,
      deliverers: statusDeliverers(config, notifierDeps),
      // Pages (paging's own jobs) report to paging; every other notification is the alert pipeline's.
      onSent: async (job) => {
        // Recorded without holding a delivery slot: the next page must not wait for the timeline.
        if (job.integrationType === PAGE_INTEGRATION) pager.onPageDone(job).catch((err) => logger.error({ err }, 'recording a page delivery failed'));
      },
      onGiveUp: async (job, error) => {
        if (job.integrationType === PAGE_INTEGRATION) pager.onPageDone(job, error).catch((err) => logger.error({ err }, 'recording a failed page failed'));
      },
      onOutcome: (d) => {
        metrics.notifications.inc({ receiver: d.receiver, outcome: d.outcome });
        const fields = { receiver: d.receiver, integration: d.integration, attempts: d.attempts, group: d.groupKey };
        if (d.outcome === 'sent') logger.info(fields, 'notification sent');
        else if (d.outcome === 'retry') logger.warn({ ...fields, reason: d.error }, 'notification attempt failed; will retry');
        else logger.error({ ...fields, reason: d.error }, 'notification given up');
        // Pages are paging's, status-page mail the status page's; scheduled reports (group key report:…) are nobody's alerts.
        if (!d.integration.startsWith(`${PAGE_INTEGRATION}[`) && !d.integration.startsWith('status-') && !d.groupKey.startsWith('report:')) pipeline.recordDelivery(d);
      },
      onError: (err) => logger.error({ err }, 'outbox error'),
    });
    outboxRef = outbox;
    const history = new SqlAlertHistory(db);
    const route = buildRoute(config.route);
    const silences = new Silences({ clock, store: new SqlSilenceStore(db) });
    await silences.load();
    const inhibitor = new Inhibitor(buildInhibitRules(config.inhibit_rules));
    const intervals = new Map([...config.mute_time_intervals, ...config.time_intervals].map((t) => [t.name, t.time_intervals] as const));
    const nflog = await SqlNotificationLog.open(db);
    const pipeline = new AlertPipeline({
      // Alertmanager's order: inhibition, time intervals, silences.
      muters: [inhibitor, new TimeActiveStage(intervals), new TimeMuteStage(intervals), silences],
      route,
      clock,
      nflog,
      store: config.alerts.persist_interval > 0 ? new WriteBehindAlertStore(new SqlAlertStore(db), { clock, interval: config.alerts.persist_interval, onError: (err) => logger.error({ err }, 'writing alerts to the database failed; will retry') }) : new SqlAlertStore(db),
      history,
      notify: async (n) => {
        await outbox.enqueueNotification(n);
        await pager.onNotification(n);
      },
      // The outbox jobs and the notification log's entry commit together: a crash between
      // them would otherwise send the notification again after a restart.
      notifyAndLog: async (n, entry) => {
        const item: PlannedJobs = { jobs: outbox.plan(n), stored: [] };
        // Groups flushing together share the transaction and its multi-row inserts.
        const write = nflog.setWith(n.receiver, n.groupKey, entry, { run: insertPlannedJobs, item });
        // Delivered now, without waiting for the commit (behind the history's and the alert
        // store's writes on the one connection) nor the outbox reading them back; each job's
        // outcome is recorded once it committed.
        if (item.jobs.length > 0) outbox.handOffUncommitted(item.jobs, item.jobs.map(plannedMessage), write.then(() => item.stored, () => undefined));
        await write;
        await pager.onNotification(n);
      },
      // A receiver with an escalation policy must hear that its group resolved, to stop paging.
      sendResolved: (receiver) => integrations.sendResolved(receiver) || config.receivers.some((r) => r.name === receiver && r.escalation_policy !== undefined),
      log: logger,
    });
    alerts = pipeline;
    pipeline.observe((a) => inhibitor.observe(a));
    // Planned work pages nobody and opens no incident: the maintenance stage holds incidents back too.
    const maintenance = await createMaintenance({ db, config, clock, pipeline, logger });
    pipeline.subscribe(incidentSubscriber(incidents, { holdWhenMutedBy: [MAINTENANCE_STAGE] }));
    const rules = await RulesRuntime.create({
      groups: ruleFiles.groups,
      config,
      ...(opts.configPath ? { configPath: opts.configPath } : {}),
      engine,
      queryable,
      restoreFrom: tsdb,
      appendable: new FanoutAppendable([tsdb, ...remoteWrites], (err) => logger.debug({ err }, 'rule output sample rejected')),
      intake: pipeline.intake,
      clock,
      logger,
      externalURL,
      registry: metrics.registry,
      reloadable: [
        { sections: ['maintenance'], apply: (next) => maintenance.setConfigured(next.maintenance) },
        {
          sections: ['slos', 'slo_files'],
          check: (next) => {
            const r = compileConfigSlos(next, opts.configPath);
            return r.ok ? [] : r.errors.map((e) => `SLOs: ${e}`);
          },
          apply: async (next) => {
            const r = compileConfigSlos(next, opts.configPath);
            if (!r.ok) throw new Error(`SLOs: ${r.errors.join('; ')}`);
            await sloRuntime.apply(r.slos);
          },
        },
      ],
    });
    const sloRuntime = new SloRuntime({ engine, queryable, clock, incidents, maintenance, manager: rules.manager });
    await sloRuntime.apply(slos.slos);
    for (const w of slos.warnings) logger.warn(w);
    const checkStore = new SqlCheckStore(db);
    const logsRuntime: LogsRuntime = new LogsRuntime({
      dir: join(opts.dataDir, 'logs'),
      redactor,
      clock,
      sink,
      logger,
      maxPendingLines: lc.max_pending_lines,
      ...(lc.worker_thread !== undefined ? { workerThread: lc.worker_thread } : {}),
      detectors: lc.detectors,
      sources: lc.sources,
      intake: pipeline.intake,
      ingest: (inputs): Promise<unknown> => ingestor.ingest(inputs),
    });
    const ingestor: LogIngestor = new LogIngestor({
      store: logStore,
      redactor,
      processor: logsRuntime.processor,
      maxPendingLines: lc.max_pending_lines,
      labelLimits: { maxNameLength: lc.max_label_name_length, maxValueLength: lc.max_label_value_length, maxLabels: lc.max_label_names_per_series },
      onAccepted: (inputs, meta) => logsRuntime.accepted(inputs, meta),
      onError: (err) => logger.warn({ err }, 'log post-processing failed'),
    });
    const syslog = config.syslog
      ? new SyslogServer({
          config: config.syslog,
          ingest: (inputs) => ingestor.ingest(inputs),
          now: () => clock.now(),
          onError: (err, where) => logger.warn({ err, where }, 'syslog receiver error'),
        })
      : undefined;
    const checks = new CheckRuntime({
      checks: config.checks,
      clock,
      store: checkStore,
      sink,
      metrics: metrics.checkMetrics,
      logger,
      concurrency: config.server.check_concurrency,
      generatorURL: (c) => `${externalURL}/api/v1/checks/${encodeURIComponent(c.name)}/results`,
      intake: pipeline.intake,
    });
    const followups = new FollowUpService({ repo: new SqlFollowUpRepo(db), incidents, clock });
    const statusPage = buildStatusPage({ config, db, checks, checkStore, incidents, clock, externalURL, maintenance, outbox, key: loadSessionKey(opts.dataDir), onError: (err, what) => logger.error({ err }, what) });
    // Maintenance notices owed since the last run (a window that started or ended while stopped).
    await statusPage.notices?.reconcile();
    const deps: ApiDeps = {
      incidents,
      followups,
      checks,
      alerts: pipeline,
      health: {
        ready: async () => {
          const dbOk = await database.ping();
          const loops = checks.isRunning;
          return { ready: dbOk && loops, checks: { database: dbOk, loops } };
        },
      },
      services: () => config.services,
      maintenance: (service) => maintenance.active(clock.now(), service),
      routing: () => ({ root: route, receivers: config.receivers.map((r) => r.name) }),
      metrics,
      auth: {
        verifier: new TokenVerifier(tokens),
        limiter: new FailureLimiter(() => clock.now()),
        sessions: new SessionCodec(loadSessionKey(opts.dataDir)),
        secureCookies: externalURL.startsWith('https:'),
        publicHosts: config.server.external_url ? [new URL(config.server.external_url).host] : [],
      },
      now: () => clock.now(),
      version: VERSION,
    };
    const reporting = buildReporting({ config, clock, logger, incidents, followups, api: deps, history, engine, queryable, externalURL, maintenance, slos: sloRuntime.service, enqueue: (n) => outbox.enqueueNotification(n) });
    const http = buildApi(deps, { logger, webRoot: WEB_ROOT }, [
      (a) => registerReportRoutes(a, { reports: reporting.reports, validZone }),
      (a) =>
        registerLokiRoutes(a, {
          store: logStore,
          now: () => clock.now(),
          limits: {
            timeoutMs: lc.query.timeout,
            maxEntries: lc.query.max_entries_limit,
            maxPointsPerSeries: lc.query.max_points_per_series,
            maxQueryLengthMs: lc.query.max_query_length,
            maxSeries: lc.query.max_series,
            maxSamples: lc.query.max_samples,
          },
        }),
      (a) => registerPrometheusRoutes(a, { engine, queryable, now: () => clock.now(), version: VERSION }),
      (a) => registerPrometheusExtraRoutes(a, { engine, queryable, now: () => clock.now(), version: VERSION }),
      (a) => registerConfigRoutes(a, { redacted: () => redactConfig(config) }),
      (a) => registerIngestRoutes(a, { metrics: tsdb, remoteWrite: remoteWriteIn, scrapes }),
      (a) =>
        registerAlertmanagerRoutes(a, {
          pipeline,
          silences,
          receivers: () => config.receivers.map((r) => r.name),
          configText: () => alertmanagerConfigText(config),
          startedAt: clock.now(),
          version: VERSION,
          now: () => clock.now(),
        }),
      (a) => registerLogIngestRoutes(a, { ingestor, patterns: (service) => logsRuntime.patterns(service) }),
      (a) => rules.routes(a),
      (a) => sloRuntime.routes(a),
      statusPage.route,
      (a) => registerMaintenanceRoutes(a, { windows: maintenance, now: () => clock.now() }),
      (a) =>
        registerOncallRoutes(a, {
          directory: () => pager.directory,
          overrides: pager.overrides,
          calendarFeeds: new CalendarFeeds(new SqlCalendarFeedStore(db), () => clock.now()),
          escalations: {
            list: async (f) => (await pager.escalations.list(f)).map(escalationView),
            get: async (id) => {
              const e = await pager.escalations.get(id);
              return e ? escalationView(e) : undefined;
            },
          },
          now: () => clock.now(),
          externalURL,
        }),
      (a) =>
        registerAckRoutes(a, {
          inspect: async (token) => {
            const v = await pager.inspectLink(token);
            return v.ok ? { ok: true, action: v.claims.action, person: v.person?.fullName ?? v.claims.person, channel: v.claims.channel, title: v.title, status: v.escalation.status, expires: v.claims.expires } : v;
          },
          use: async (token, via, as) => {
            const r = await pager.useLink(token, via, as);
            return { action: r.action, status: r.escalation.status };
          },
          ...(pager.slackSigningSecret ? { slack: { signingSecret: pager.slackSigningSecret, personBySlack: (id: string) => pager.personBySlack(id) } } : {}),
          now: () => clock.now(),
        }),
    ]);
    return new VigilApp(config, logger, clock, database, incidents, pipeline, outbox, outboxStore, checks, history, http, listen, logStore, tsdb, engine, scrapes, remoteWrites, logsRuntime, syslog, remoteWriteIn, pager, rules, metrics, maintenance, reporting.scheduler, sloRuntime);
  }

  /** Resumes persisted state, starts every loop, then listens. */
  async start(): Promise<string> {
    this.metrics.loopLag.start();
    await this.alerts.start();
    await this.checks.restore();
    this.outbox.start();
    this.paging.start();
    this.checks.start();
    this.scrapes.start();
    this.rules.start();
    this.reportScheduler.start();
    await this.logsRuntime.start();
    await this.syslog?.start();
    this.housekeeping = setInterval(() => void this.housekeep(), 3600_000);
    this.housekeeping.unref();
    this.address = await this.http.listen({ host: this.listen.host, port: this.listen.port });
    this.started = true;
    this.logger.info({ address: this.address, checks: this.config.checks.length, data: this.database.path }, `Vigil listening on ${this.address}`);
    return this.address;
  }

  private async housekeep(): Promise<void> {
    const now = this.clock.now();
    try {
      await this.checks.prune(now);
      await this.outboxStore.prune(now - 7 * 24 * 3600_000);
      await this.history.prune(now - 30 * 24 * 3600_000);
      // Completed windows are the record of maintenance done (reports, the status page): kept 400 days.
      await this.maintenance.prune(now - 400 * 24 * 3600_000);
      await this.paging.escalations.prune(now - 30 * 24 * 3600_000);
      await this.logs.applyRetention();
    } catch (err) {
      this.logger.error({ err }, 'housekeeping failed');
    }
  }

  /** Reloads vigil.yml and the rule files (SIGHUP, POST /-/reload); see RulesRuntime.reload. */
  reload(): Promise<{ ok: boolean; message: string }> {
    return this.rules.reload();
  }

  /** Stops taking requests, drains loops and in-flight deliveries, closes the database. */
  async stop(): Promise<void> {
    if (this.housekeeping) clearInterval(this.housekeeping);
    if (this.started) await this.http.close();
    await this.remoteWriteIn.close();
    await this.checks.stop();
    await this.scrapes.stop();
    await this.rules.stop();
    await this.reportScheduler.stop();
    await this.syslog?.stop();
    await this.logsRuntime.stop();
    await Promise.all(this.remoteWrites.map((q) => q.stop()));
    this.maintenance.stop();
    await this.alerts.stop();
    await this.paging.stop();
    await this.outbox.stop();
    await this.logs.close();
    await this.tsdb.close();
    await this.database.close();
    this.metrics.loopLag.stop();
    this.started = false;
  }
}
