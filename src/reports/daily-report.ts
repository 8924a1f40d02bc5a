import { DateTime } from 'luxon';
import { isOverdue } from '../incidents/index.js';
import { Fmt, duration, figure, list, p, percent, table, type Block, type ReportDocument } from './document.js';
import type { ReportingConfig } from './config.js';
import type { ReportSources } from './sources.js';
import { INCIDENT_COLUMNS, incidentRows, incidentsDuring, maintenanceBlocks, problemsSection, summarizeAlerts } from './common.js';
import { ACTION_COLUMNS, actionItemRows } from './incident-report.js';
import { capacity, certificates, performance, uptime } from './queries.js';

const overall = (states: readonly { state: string }[], openCritical: number): string => {
  const down = states.filter((s) => s.state === 'down').length;
  const degraded = states.filter((s) => s.state === 'degraded').length;
  if (down > 0 || openCritical > 0) return 'Outage';
  if (degraded > 0) return 'Degraded';
  return 'Operational';
};

/** The daily operations report for one calendar day (YYYY-MM-DD) in the reporting time zone. */
export async function dailyReport(src: ReportSources, cfg: ReportingConfig, day: string): Promise<ReportDocument> {
  const zone = cfg.time_zone;
  const fmt = new Fmt(zone);
  const now = src.now();
  const { from, to } = fmt.dayBounds(day);
  const at = Math.min(to, now);
  const errors: string[] = [];
  const nextDay = DateTime.fromMillis(to, { zone }).toFormat('yyyy-MM-dd');

  const [states, incidents, history, items, up] = await Promise.all([
    src.services(),
    incidentsDuring(src, from, to),
    src.alertHistory(from, to),
    src.followups.actionItems({ statuses: ['open', 'in_progress'] }),
    uptime(src.query, from, to, now, errors),
  ]);
  const names = states.map((s) => s.name);
  const [perf, cap, certs, maint] = await Promise.all([
    performance(src.query, names, cfg.performance, from, at, errors),
    capacity(src.query, cfg.capacity, at, errors),
    certificates(src.query, at, cfg.certificate_warning, errors),
    maintenanceBlocks(src, from, to, fmt),
  ]);

  const open = incidents.filter((i) => i.status !== 'resolved');
  const resolved = incidents.filter((i) => i.resolvedAt !== null && i.resolvedAt >= from && i.resolvedAt < to);
  const status = overall(states, open.filter((i) => i.severity === 'critical').length);
  const overallBlocks: Block[] = [
    p(`${status}. ${states.length} services: ${['up', 'degraded', 'down', 'maintenance', 'unknown'].map((s) => `${states.filter((x) => x.state === s).length} ${s}`).join(', ')} (as of ${fmt.time(now)}).`),
    p(`${incidents.length} ${incidents.length === 1 ? 'incident' : 'incidents'} during the day: ${open.length} still open, ${resolved.length} resolved.`),
  ];
  const notUp = states.filter((s) => s.state !== 'up');
  if (notUp.length) overallBlocks.push(list(notUp.map((s) => `${s.name}: ${s.state}${s.reasons.length ? ` — ${s.reasons.join('; ')}` : ''}`)));

  const uptimeRows = states.map((s) => {
    const u = up.get(s.name);
    return [s.name, u === undefined ? 'no checks' : percent(u.uptime), u === undefined ? '—' : duration((1 - u.uptime) * u.coveredMs), s.state];
  });

  const perfBlocks: Block[] = perf.length
    ? [
        table(
          ['Service', 'Avg response', 'p95 response', 'Error rate', 'Throughput', 'Baseline', 'Change'],
          perf.map((f) => [
            f.service,
            figure(f.avgResponseTime, 's'),
            figure(f.p95ResponseTime, 's'),
            figure(f.errorRate, 'ratio'),
            f.throughput === null ? '—' : `${figure(f.throughput)} req/s`,
            f.throughputBaseline === null ? '—' : `${figure(f.throughputBaseline)} req/s`,
            f.throughput !== null && f.throughputBaseline ? `${f.throughput >= f.throughputBaseline ? '+' : ''}${(((f.throughput - f.throughputBaseline) / f.throughputBaseline) * 100).toFixed(1)}%` : '—',
          ]),
        ),
      ]
    : [p('No performance queries are configured (reporting.performance in vigil.yml).')];

  const alerts = summarizeAlerts(history, from, to);
  const alertBlocks: Block[] = alerts.length
    ? [table(['Severity', 'Fired', 'Resolved', 'Still firing'], [...alerts.map((a) => [a.severity, String(a.fired), String(a.resolved), String(a.fired - a.resolved)]), ['total', String(alerts.reduce((n, a) => n + a.fired, 0)), String(alerts.reduce((n, a) => n + a.resolved, 0)), String(alerts.reduce((n, a) => n + a.fired - a.resolved, 0))]])]
    : [p('No alerts fired.')];

  const capBlocks: Block[] = cfg.capacity.length
    ? cap.length
      ? [
          table(
            ['Resource', 'Series', 'Now', 'Predicted', 'Limit reached'],
            cap.map((c) => [c.name, c.series || '—', figure(c.current, c.unit), c.predicted === null ? '—' : `${figure(c.predicted, c.unit)} in ${duration(c.horizonMs)}`, c.limit === undefined ? 'no limit set' : c.reachesLimitInMs === null ? 'not on this trend' : `in ${duration(c.reachesLimitInMs)}`]),
          ),
        ]
      : [p('The capacity queries returned no data.')]
    : [p('No capacity resources are configured (reporting.capacity in vigil.yml).')];

  const security = history.filter((r) => r.kind === 'fired' && r.at >= from && r.at < to && cfg.security_detectors.includes(r.labels?.['detector'] ?? ''));
  const secBlocks: Block[] = security.length
    ? [
        table(
          ['Time', 'Event', 'Service', 'Source IP', 'User'],
          security.map((r) => [fmt.time(r.at), r.labels?.['alertname'] ?? r.labels?.['detector'] ?? '', r.labels?.['service'] ?? '—', r.labels?.['source_ip'] ?? r.labels?.['ip'] ?? '—', r.labels?.['user'] ?? '—']),
        ),
      ]
    : [p('No security events: the log detectors (failed logins, new login IPs, privilege escalation) raised nothing.')];

  const certBlocks: Block[] = certs.length
    ? [table(['Check', 'Service', 'Expires', 'Days left'], certs.map((c) => [c.check, c.service || '—', fmt.day(c.expiresAt), String(Math.floor((c.expiresAt - at) / 86_400_000))]))]
    : [p(`No certificate expires within ${duration(cfg.certificate_warning)}.`)];

  const itemBlocks: Block[] = items.length ? [table(ACTION_COLUMNS.slice(0, 1).concat(['Incident'], ACTION_COLUMNS.slice(1)), actionItemRows(items, nextDay, true))] : [p('No open action items.')];

  return {
    kind: 'daily',
    title: `Daily operations report: ${day}`,
    generatedAt: now,
    timeZone: zone,
    period: { from, to },
    sections: [
      { heading: 'Overall status', blocks: overallBlocks },
      { heading: 'Uptime per service', blocks: states.length ? [table(['Service', 'Uptime', 'Downtime', 'State now'], uptimeRows)] : [p('No services are declared.')] },
      { heading: 'Active and resolved incidents', blocks: incidents.length ? [table(INCIDENT_COLUMNS, incidentRows(incidents, fmt, now))] : [p('No incidents.')] },
      { heading: 'Performance figures', blocks: perfBlocks },
      { heading: 'Alert summary', blocks: alertBlocks },
      { heading: 'Capacity trends', blocks: capBlocks },
      { heading: 'Security events', blocks: secBlocks },
      { heading: 'Certificates expiring soon', blocks: certBlocks },
      { heading: 'Maintenance done', blocks: maint.blocks },
      { heading: 'Open action items', blocks: itemBlocks },
      ...problemsSection(errors),
    ],
    data: {
      day,
      status,
      services: states.map((s) => ({ name: s.name, state: s.state, uptime: up.get(s.name)?.uptime ?? null })),
      incidents: { total: incidents.length, open: open.map((i) => i.id), resolved: resolved.map((i) => i.id) },
      performance: perf,
      alerts,
      capacity: cap,
      security_events: security.length,
      certificates: certs.map((c) => ({ ...c, expiresAt: new Date(c.expiresAt).toISOString() })),
      maintenance: maint.windows.length,
      open_action_items: items.map((a) => ({ id: a.id, incident: a.incidentId, title: a.title, owner: a.owner, due: a.due, overdue: isOverdue(a, nextDay) })),
      errors,
    },
  };
}
