import { Fmt, duration, p, percent, sub, table, type Block, type ReportDocument } from './document.js';
import type { ReportingConfig } from './config.js';
import type { ReportSources } from './sources.js';
import { incidentsDuring, problemsSection } from './common.js';
import { uptime } from './queries.js';

/**
 * Monthly SLA compliance (month: YYYY-MM in the reporting time zone): per service and SLO,
 * the SLI over the month against its objective, met or breached, the deficit, and the
 * incidents of the service in that month.
 */
export async function slaReport(src: ReportSources, cfg: ReportingConfig, month: string): Promise<ReportDocument> {
  const zone = cfg.time_zone;
  const fmt = new Fmt(zone);
  const now = src.now();
  const { from, to } = fmt.monthBounds(month);
  const at = Math.min(to, now);
  const errors: string[] = [];
  const [states, incidents, up] = await Promise.all([src.services(), incidentsDuring(src, from, to), uptime(src.query, from, to, now, errors)]);
  const span = at - from;
  const overlap = (i: { openedAt: number; resolvedAt: number | null }) => Math.max(0, Math.min(i.resolvedAt ?? at, at) - Math.max(i.openedAt, from));

  const rows: string[][] = [];
  const data: Record<string, unknown>[] = [];
  if (src.slos) {
    for (const s of await src.slos.list(at)) {
      const sli = await src.slos.sliBetween(s.name, from, at);
      const met = sli === null ? null : sli * 100 >= s.objective;
      const deficit = sli === null || met ? 0 : s.objective / 100 - sli;
      const caused = incidents.filter((i) => i.services.includes(s.service));
      rows.push([s.service, s.name, `${s.objective}%`, percent(sli), met === null ? 'no data' : met ? 'met' : 'breached', deficit ? `${percent(deficit)} (${duration(deficit * span)})` : '—', caused.map((i) => i.id).join(', ') || '—']);
      data.push({ service: s.service, slo: s.name, objective: s.objective, sli, met, deficit, incidents: caused.map((i) => i.id) });
    }
  }
  const sloBlocks: Block[] = !src.slos
    ? [p('No SLOs are configured: availability below is measured by the checks, without targets.')]
    : rows.length
      ? [table(['Service', 'SLO', 'Target', 'Actual', 'Result', 'Deficit', 'Incidents'], rows)]
      : [p('No SLOs are configured.')];

  const availability = states.map((s) => {
    const u = up.get(s.name);
    return [s.name, u === undefined ? 'no checks' : percent(u.uptime), u === undefined ? '—' : duration((1 - u.uptime) * u.coveredMs)];
  });
  const incBlocks: Block[] = incidents.length
    ? [table(['Incident', 'Severity', 'Services', 'Title', 'Opened', 'Time in month'], incidents.map((i) => [i.id, i.severity, i.services.join(', ') || '—', i.title, fmt.time(i.openedAt), duration(overlap(i))]))]
    : [p('No incidents this month.')];
  const breached = data.filter((d) => d['met'] === false).length;

  return {
    kind: 'sla',
    title: `SLA compliance: ${month}`,
    generatedAt: now,
    timeZone: zone,
    period: { from, to },
    sections: [
      {
        heading: 'Summary',
        blocks: [p(src.slos ? `${data.length} ${data.length === 1 ? 'SLO' : 'SLOs'}: ${data.length - breached} met, ${breached} breached${at < to ? ` (month in progress, up to ${fmt.time(at)})` : ''}.` : `No SLOs are configured; ${incidents.length} ${incidents.length === 1 ? 'incident' : 'incidents'} this month.`)],
      },
      { heading: 'Compliance per service and SLO', blocks: sloBlocks },
      { heading: 'Availability from checks', blocks: states.length ? [table(['Service', 'Availability', 'Downtime'], availability)] : [p('No services are declared.')] },
      { heading: 'Incidents', blocks: [sub('Incidents that consumed error budget', incBlocks)] },
      ...problemsSection(errors),
    ],
    data: { month, slos: data, availability: states.map((s) => ({ service: s.name, availability: up.get(s.name)?.uptime ?? null })), incidents: incidents.map((i) => ({ id: i.id, services: i.services, time_in_month_ms: overlap(i) })), errors },
  };
}
