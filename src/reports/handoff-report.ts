import { isOverdue } from '../incidents/index.js';
import { Fmt, duration, figure, list, p, percent, sub, table, type Block, type ReportDocument } from './document.js';
import type { ReportingConfig } from './config.js';
import type { ReportSources } from './sources.js';
import { incidentsDuring, maintenanceBlocks, problemsSection } from './common.js';
import { ACTION_COLUMNS, actionItemRows } from './incident-report.js';
import { capacity, certificates } from './queries.js';

const DONE_KINDS = new Set(['status_changed', 'note', 'assigned', 'severity_changed', 'action_item', 'postmortem']);

/**
 * The handoff document for the next on-call shift: where every service stands, open incidents
 * and what was done about them, known issues, open action items, SLO budgets at risk, what
 * changed during the shift, and what to watch.
 */
export async function handoffReport(src: ReportSources, cfg: ReportingConfig): Promise<ReportDocument> {
  const zone = cfg.time_zone;
  const fmt = new Fmt(zone);
  const now = src.now();
  const from = now - cfg.handoff_period;
  const today = fmt.day(now);
  const errors: string[] = [];
  const [states, open, all, items, history] = await Promise.all([
    src.services(),
    src.incidents.list({ status: 'open', limit: 1000 }),
    // Opened or resolved since `from` (with no upper bound, as before: one opened while the
    // report is built still counts); older resolved incidents are not read.
    incidentsDuring(src, from, Number.MAX_SAFE_INTEGER),
    src.followups.actionItems({ statuses: ['open', 'in_progress'] }),
    src.alertHistory(from, now),
  ]);
  const [cap, certs, maint, slos] = await Promise.all([
    capacity(src.query, cfg.capacity, now, errors),
    certificates(src.query, now, Math.min(cfg.certificate_warning, 7 * 86_400_000), errors),
    maintenanceBlocks(src, from, now, fmt),
    src.slos ? src.slos.list(now) : Promise.resolve(undefined),
  ]);

  const openBlocks: Block[] = [];
  for (const i of open) {
    const d = await src.incidents.detail(i.id);
    const done = d.timeline.filter((e) => DONE_KINDS.has(e.kind) && e.actor !== 'vigil');
    openBlocks.push(
      sub(`${i.id} — ${i.title}`, [
        p(`${i.severity}, ${i.status}, open for ${duration(now - i.openedAt)} (since ${fmt.time(i.openedAt)}); services: ${i.services.join(', ') || '—'}; assignee: ${i.assignee ?? 'nobody'}.`),
        done.length ? list(done.slice(-10).map((e) => `${fmt.time(e.at)} ${e.message}${e.kind === 'note' ? ` (${e.actor})` : ''}`)) : p('Nothing recorded by a person yet.'),
      ]),
    );
  }

  const incidentFingerprints = new Set<string>();
  for (const i of open) for (const a of (await src.incidents.detail(i.id)).alerts) incidentFingerprints.add(a.fingerprint);
  const firing = new Map<string, { at: number; labels: Readonly<Record<string, string>> }>();
  for (const r of history) {
    if (r.kind === 'fired' && r.labels) firing.set(r.fingerprint, { at: r.at, labels: r.labels });
    if (r.kind === 'resolved') firing.delete(r.fingerprint);
  }
  const known = [
    ...states.filter((s) => s.state === 'degraded' || s.state === 'down').filter((s) => !open.some((i) => i.services.includes(s.name))).map((s) => `${s.name} is ${s.state} without an open incident${s.reasons.length ? `: ${s.reasons.join('; ')}` : ''}`),
    ...[...firing.entries()].filter(([fp]) => !incidentFingerprints.has(fp)).map(([, f]) => `Alert ${f.labels['alertname'] ?? '?'}${f.labels['service'] ? ` on ${f.labels['service']}` : ''} (${f.labels['severity'] ?? 'no severity'}) firing since ${fmt.time(f.at)}, not part of an incident`),
    ...open.filter((i) => i.status === 'mitigated').map((i) => `${i.id} is mitigated, not resolved: ${i.title}`),
  ];

  const atRisk = slos?.filter((s) => s.status !== 'ok') ?? [];
  const sloBlocks: Block[] = !slos
    ? [p('No SLOs are configured.')]
    : atRisk.length
      ? [table(['SLO', 'Service', 'Objective', 'SLI', 'Budget remaining', 'Status'], atRisk.map((s) => [s.name, s.service, `${s.objective}%`, percent(s.sli), `${percent(s.errorBudget.remaining, 1)} (${Math.round(s.errorBudget.remainingMinutes)} min)`, s.status]))]
      : [p(`All ${slos.length} SLOs are within budget.`)];

  const changes = [
    ...all.filter((i) => i.openedAt >= from).map((i) => `${fmt.time(i.openedAt)} ${i.id} opened: ${i.title}`),
    ...all.filter((i) => i.resolvedAt !== null && i.resolvedAt >= from).map((i) => `${fmt.time(i.resolvedAt)} ${i.id} resolved${i.resolvedBy ? ` by ${i.resolvedBy}` : ''}: ${i.title}`),
  ].sort();
  const doneItems = (await src.followups.actionItems({ statuses: ['done'] })).filter((a) => a.doneAt !== null && a.doneAt >= from);
  for (const a of doneItems) changes.push(`Action item #${a.id} done: ${a.title}`);

  const watch = [
    ...items.filter((a) => isOverdue(a, today)).map((a) => `Overdue action item #${a.id} (${a.incidentId}): ${a.title}, owner ${a.owner ?? 'unassigned'}, due ${a.due}`),
    ...certs.map((c) => `Certificate of ${c.check} expires ${fmt.day(c.expiresAt)}`),
    ...cap.filter((c) => c.reachesLimitInMs !== null && c.reachesLimitInMs <= c.horizonMs).map((c) => `${c.name}${c.series ? ` (${c.series})` : ''} reaches ${figure(c.limit ?? null, c.unit)} in ${duration(c.reachesLimitInMs)}`),
    ...atRisk.map((s) => `SLO ${s.name} is ${s.status.replace('_', ' ')}: ${percent(s.errorBudget.remaining, 1)} of its budget left`),
  ];

  return {
    kind: 'handoff',
    title: `Handoff: ${fmt.time(now)}`,
    generatedAt: now,
    timeZone: zone,
    period: { from, to: now },
    sections: [
      { heading: 'Current status of every service', blocks: states.length ? [table(['Service', 'Owner', 'State', 'Why'], states.map((s) => [s.name, s.owner ?? '—', s.state, s.reasons.join('; ') || '—']))] : [p('No services are declared.')] },
      { heading: 'Open incidents', blocks: openBlocks.length ? openBlocks : [p('No open incidents.')] },
      { heading: 'Known issues', blocks: known.length ? [list(known)] : [p('None.')] },
      { heading: 'Open action items', blocks: items.length ? [table(ACTION_COLUMNS.slice(0, 1).concat(['Incident'], ACTION_COLUMNS.slice(1)), actionItemRows(items, today, true))] : [p('No open action items.')] },
      { heading: 'SLO budgets at risk', blocks: sloBlocks },
      { heading: 'Recent changes', blocks: [p(`Since ${fmt.time(from)}:`), changes.length ? list(changes) : p('No incidents opened or resolved, no action items done.'), sub('Maintenance', maint.blocks)] },
      { heading: 'What to watch', blocks: watch.length ? [list(watch)] : [p('Nothing in particular.')] },
      ...problemsSection(errors),
    ],
    data: {
      services: states,
      open_incidents: open.map((i) => i.id),
      known_issues: known,
      open_action_items: items.map((a) => ({ id: a.id, incident: a.incidentId, title: a.title, owner: a.owner, due: a.due, overdue: isOverdue(a, today) })),
      slos_at_risk: atRisk.map((s) => s.name),
      changes,
      watch,
      errors,
    },
  };
}
