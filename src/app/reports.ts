import { IANAZone } from 'luxon';
import type { Queryable } from '../storage/index.js';
import type { Engine } from '../promql/index.js';
import type { AlertHistory } from '../alerts/history.js';
import type { FollowUpService, IncidentService } from '../incidents/index.js';
import { currentServices, type ApiDeps } from '../api/index.js';
import { ReportScheduler, Reports, fillQuery, type AlertRecord, type QuerySample, type ReportDelivery, type ReportSources, type SloSource } from '../reports/index.js';
import type { SloService } from '../slo/index.js';
import type { Notification } from '../model/notification.js';
import type { VigilConfig } from '../config/index.js';
import type { Clock } from '../model/clock.js';
import { parseExpr } from '../promql/index.js';
import type { Logger } from './logger.js';

export interface ReportingDeps {
  readonly config: VigilConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly incidents: IncidentService;
  readonly followups: FollowUpService;
  readonly api: Pick<ApiDeps, 'checks' | 'incidents' | 'alerts' | 'services'>;
  readonly history: AlertHistory;
  readonly engine: Engine;
  readonly queryable: Queryable;
  readonly externalURL: string;
  /** Maintenance windows overlapping a period (src/maintenance). */
  readonly maintenance: { overlapping(from: number, to: number): readonly { services: readonly string[]; start: number; end: number; reason: string }[] };
  /** Puts a notification in the outbox (for every integration of its receiver). */
  readonly enqueue: (n: Notification) => Promise<unknown>;
  /** The SLOs (src/slo); absent: the reports say none are configured. */
  readonly slos?: Pick<SloService, 'list' | 'report' | 'definitions'>;
}

/**
 * The reports' view of the SLOs. A budget without data (no traffic yet) reads as untouched:
 * such an SLO is `ok`, so the reports that list budgets at risk never show it.
 */
export function sloSource(slos: NonNullable<ReportingDeps['slos']>): SloSource {
  return {
    list: async (at) =>
      (await slos.list(at)).map((s) => {
        const windowMs = s.period.end - s.period.start;
        const b = s.budget;
        return {
          name: s.slo.name,
          service: s.slo.service,
          objective: s.slo.objective,
          windowMs,
          sli: s.sli,
          errorBudget: { total: b.total, consumed: b.consumed ?? 0, remaining: b.remaining ?? 1, remainingMinutes: b.remainingMinutes ?? (b.total * windowMs) / 60_000 },
          status: s.status,
        };
      }),
    sliBetween: async (name, from, to) => (to > from ? (await slos.report(name, from, to)).sli : null),
  };
}

/** The PromQL a config names, each checked at start so a typo is a startup error with its path, not a blank column. */
export function reportingQueryProblems(config: VigilConfig): string[] {
  const problems: string[] = [];
  config.reporting.performance.forEach((e, i) => {
    for (const k of ['avg_response_time', 'p95_response_time', 'error_rate', 'throughput'] as const) {
      const q = e[k];
      if (!q) continue;
      try {
        parseExpr(fillQuery(q, 'service', 86400));
      } catch (err) {
        problems.push(`reporting.performance[${i}].${k}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  });
  config.reporting.capacity.forEach((c, i) => {
    try {
      parseExpr(c.query);
    } catch (err) {
      problems.push(`reporting.capacity[${i}].query: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  return problems;
}

/** Builds the report engine's sources from the running modules, and the scheduler that sends them. */
export function buildReporting(d: ReportingDeps): { reports: Reports; scheduler: ReportScheduler } {
  const sources: ReportSources = {
    now: () => d.clock.now(),
    incidents: d.incidents,
    followups: d.followups,
    services: async () => (await currentServices(d.api)).map((s) => ({ name: s.name, ...(s.owner ? { owner: s.owner } : {}), state: s.state, reasons: s.reasons })),
    alertHistory: async (from, to) => {
      const rows = await d.history.query({ since: from, limit: 1_000_000 });
      return rows
        .filter((r): r is typeof r & { kind: 'fired' | 'resolved' } => (r.kind === 'fired' || r.kind === 'resolved') && r.at < to)
        .map((r): AlertRecord => ({ fingerprint: r.fingerprint, at: r.at, kind: r.kind, ...(r.labels ? { labels: r.labels } : {}) }))
        .reverse();
    },
    query: async (expr, at) => {
      const r = await d.engine.instantQuery(d.queryable, expr, at);
      if (r.resultType === 'vector') return r.result.map((s): QuerySample => ({ labels: s.labels, value: s.v }));
      if (r.resultType === 'scalar') return [{ labels: {}, value: r.result.v }];
      throw new Error(`expected an instant vector or scalar, got a ${r.resultType}`);
    },
  };
  const slos = d.slos;
  const slosSource = slos ? sloSource(slos) : undefined;
  const withMaintenance: ReportSources = {
    ...sources,
    maintenance: { between: async (from, to) => [...d.maintenance.overlapping(from, to)] },
    // Read when a report is built: a reload may add the first SLO or remove the last.
    get slos() {
      return slos && slos.definitions().length > 0 ? slosSource : undefined;
    },
  };
  const reports = new Reports(withMaintenance, d.config.reporting);
  const scheduler = new ReportScheduler({
    schedules: d.config.reports,
    reports,
    clock: d.clock,
    send: (r) => sendReport(d, r),
    onError: (err, s) => d.logger.error({ err, report: s.kind }, 'building a scheduled report failed'),
  });
  return { reports, scheduler };
}

/**
 * A report goes to its receivers as a one-alert notification (`alertname: VigilReport`),
 * so every notifier can carry it: the summary is the title, the description the report.
 */
async function sendReport(d: ReportingDeps, r: ReportDelivery): Promise<void> {
  const at = d.clock.now();
  const kind = r.document.kind;
  for (const receiver of r.receivers) {
    const labels = { alertname: 'VigilReport', report: kind, severity: 'info' };
    await d.enqueue({
      receiver,
      groupKey: r.key,
      groupLabels: { report: kind },
      at,
      alerts: [
        {
          status: 'firing',
          labels,
          annotations: { summary: r.document.title, description: r.body, format: r.format },
          startsAt: at,
          endsAt: 0,
          generatorURL: `${d.externalURL}/api/v1/reports/${kind}`,
          fingerprint: r.key,
        },
      ],
    });
  }
  d.logger.info({ report: kind, receivers: r.receivers }, `scheduled report sent: ${r.document.title}`);
}

export const validZone = (z: string): boolean => IANAZone.isValidZone(z);
