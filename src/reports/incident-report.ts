import { formatLabels } from '../model/labels.js';
import { isOverdue, type ActionItem } from '../incidents/index.js';
import { Fmt, duration, list, md, p, percent, sub, table, type Block, type ReportDocument } from './document.js';
import type { ReportSources } from './sources.js';

const TO_FILL = /^_To fill[^_]*_$/;

/** A post-mortem section as the report shows it: what people wrote, or a plain note that they have not. */
const written = (text: string, what: string): Block => (text.trim() && !TO_FILL.test(text.trim()) ? md(text) : p(`Not written yet: ${what}.`));

export function actionItemRows(items: readonly ActionItem[], today: string, withIncident = false): string[][] {
  return items.map((a) => [
    `#${a.id}`,
    ...(withIncident ? [a.incidentId] : []),
    a.title,
    a.kind,
    a.owner ?? 'unassigned',
    a.due ?? '—',
    `${a.status.replace('_', ' ')}${isOverdue(a, today) ? ' (OVERDUE)' : ''}`,
  ]);
}
export const ACTION_COLUMNS = ['#', 'Action', 'Kind', 'Owner', 'Due', 'Status'];

/**
 * The incident report: summary, impact, root cause with the timeline, resolution actions,
 * lessons learned and action items — the post-mortem's written sections joined with what
 * Vigil recorded.
 */
export async function incidentReport(src: ReportSources, id: string, zone: string): Promise<ReportDocument> {
  const fmt = new Fmt(zone);
  const now = src.now();
  const d = await src.incidents.detail(id);
  const [{ postmortem: pm, stored }, items] = await Promise.all([src.followups.postmortem(id), src.followups.actionItems({ incidentId: id })]);
  const i = d.incident;
  const end = i.resolvedAt ?? now;
  const dur = i.resolvedAt !== null ? duration(i.resolvedAt - i.openedAt) : `${duration(now - i.openedAt)} so far (ongoing)`;
  const today = fmt.day(now);

  const summary = table(
    ['Field', 'Value'],
    [
      ['Incident', i.id],
      ['Title', i.title],
      ['Severity', i.severity],
      ['Status', i.status],
      ['Start', fmt.time(i.openedAt)],
      ['Resolution', i.resolvedAt !== null ? `${fmt.time(i.resolvedAt)}${i.resolvedBy ? ` by ${i.resolvedBy}` : ''}` : 'not resolved'],
      ['Duration', dur],
      ['Affected services', i.services.join(', ') || '—'],
      ['Post-mortem', stored ? `${pm.status.replace('_', ' ')} (version ${pm.version})` : 'not started'],
    ],
  );

  const impact: Block[] = [written(pm.sections.impact, 'who was affected and how')];
  const sloRows: string[][] = [];
  let sloNote = 'No SLOs are configured.';
  if (src.slos) {
    const slos = (await src.slos.list(now)).filter((s) => i.services.includes(s.service));
    sloNote = slos.length ? '' : `No SLO covers ${i.services.join(', ') || 'these services'}.`;
    for (const s of slos) {
      const sli = await src.slos.sliBetween(s.name, i.openedAt, end);
      const consumed = sli === null || s.errorBudget.total <= 0 ? null : ((1 - sli) * (end - i.openedAt)) / (s.errorBudget.total * s.windowMs);
      sloRows.push([s.name, `${s.objective}%`, percent(sli), consumed === null ? '—' : percent(consumed, 1), s.status === 'breached' ? 'breached' : sli !== null && sli * 100 < s.objective ? 'below objective during the incident' : 'met']);
    }
  }
  impact.push(sub('SLOs', sloRows.length ? [table(['SLO', 'Objective', 'SLI during the incident', 'Error budget consumed', 'State'], sloRows)] : [p(sloNote)]));
  impact.push(
    sub('Alerts', [
      d.alerts.length
        ? list(d.alerts.map((a) => `${a.labels['alertname'] ?? a.fingerprint} ${formatLabels(a.labels)}: ${a.status}, ${fmt.time(a.startsAt)}${a.endsAt ? ` to ${fmt.time(a.endsAt)}` : ''}`))
        : p('No alerts were linked: the incident was declared by hand.'),
    ]),
  );
  const ack = d.sla.time_to_acknowledge;
  const res = d.sla.time_to_resolve;
  impact.push(
    sub('Response targets', [
      table(
        ['Target', 'Actual', 'Target time', 'Result'],
        [
          ['Time to acknowledge', duration(ack.actual_ms), duration(ack.target_ms), ack.state],
          ['Time to resolve', duration(res.actual_ms), duration(res.target_ms), res.state],
        ],
      ),
    ]),
  );

  const timeline = table(['Time', 'What happened', 'Who'], d.timeline.map((e) => [fmt.time(e.at), e.message, e.actor]));
  const byKind = (k: 'immediate' | 'preventive') => items.filter((a) => a.kind === k);
  const kindBlock = (k: 'immediate' | 'preventive', heading: string) => {
    const sel = byKind(k);
    return sub(heading, [sel.length ? list(sel.map((a) => `${a.title} — ${a.owner ?? 'unassigned'}, ${a.status.replace('_', ' ')}${a.due ? `, due ${a.due}` : ''}`)) : p(`No ${k} actions recorded.`)]);
  };

  return {
    kind: 'incident',
    title: `Incident report: ${i.id} — ${i.title}`,
    generatedAt: now,
    timeZone: zone,
    period: { from: i.openedAt, to: end },
    sections: [
      { heading: 'Incident summary', blocks: [summary, written(pm.sections.summary, 'a summary')] },
      { heading: 'Impact assessment', blocks: impact },
      { heading: 'Root-cause analysis', blocks: [written(pm.sections.root_cause, 'what caused the incident and why it was possible'), sub('Timeline', [timeline])] },
      { heading: 'Resolution actions', blocks: [written(pm.sections.resolution, 'what was done to mitigate and resolve it'), kindBlock('immediate', 'Immediate'), kindBlock('preventive', 'Preventive')] },
      { heading: 'Lessons learned', blocks: [written(pm.sections.lessons_learned, 'what went well, what went wrong, where we got lucky')] },
      { heading: 'Action items', blocks: [items.length ? table(ACTION_COLUMNS, actionItemRows(items, today)) : p('No action items yet.')] },
    ],
    data: {
      incident: { id: i.id, title: i.title, severity: i.severity, status: i.status, services: i.services, opened_at: new Date(i.openedAt).toISOString(), resolved_at: i.resolvedAt === null ? null : new Date(i.resolvedAt).toISOString(), duration_ms: end - i.openedAt },
      response: d.sla,
      slos: sloRows.map(([name, objective, sli, consumed, state]) => ({ name, objective, sli, consumed, state })),
      postmortem: { stored, status: pm.status, version: pm.version },
      action_items: items.map((a) => ({ id: a.id, title: a.title, kind: a.kind, owner: a.owner, due: a.due, status: a.status, overdue: isOverdue(a, today) })),
    },
  };
}
