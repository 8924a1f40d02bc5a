import { esc, humanTime } from './html.js';
import type { PublicIncident, PublicMaintenance, StatusSnapshot } from './page.js';
import { incidentJson, maintenanceJson } from './render-json.js';
import type { Notice } from './subscriptions.js';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The notice of an incident's newest public update (Statuspage's webhook shape: `page` and `incident`). */
export function updateNotice(s: StatusSnapshot, i: PublicIncident, pageURL: string): Notice {
  const u = i.updates[0];
  const status = cap(u?.status ?? i.status);
  const link = `${pageURL}/incidents/${encodeURIComponent(i.id)}`;
  const affects = i.components.length ? `Affects: ${i.components.join(', ')}\n` : '';
  return {
    groupKey: `status-page:${i.id}`,
    subject: `[${s.title}] ${i.name}: ${status}`,
    text: `${i.name}\n\n${status} (${humanTime(u?.at ?? i.updatedAt)}): ${u?.body ?? ''}\n\n${affects}Details: ${link}`,
    html: `<h2>${esc(i.name)}</h2><p><strong>${esc(status)}</strong> (${esc(humanTime(u?.at ?? i.updatedAt))}): ${esc(u?.body ?? '').replace(/\n/g, '<br>')}</p>${i.components.length ? `<p>Affects: ${esc(i.components.join(', '))}</p>` : ''}<p><a href="${esc(link)}">Details</a></p>`,
    webhook: { page: { status_indicator: s.status.indicator, status_description: s.status.description }, incident: incidentJson(i, pageURL) },
  };
}

export type MaintenanceNoticeKind = 'scheduled' | 'rescheduled' | 'started' | 'completed' | 'cancelled';

/** The notice of a maintenance window covering a component (`scheduled_maintenance` in the webhook). */
export function maintenanceNotice(s: StatusSnapshot, m: PublicMaintenance, kind: MaintenanceNoticeKind, pageURL: string): Notice {
  const when = `${humanTime(m.scheduledFor)} to ${humanTime(m.scheduledUntil)}`;
  const what = { scheduled: 'Scheduled', rescheduled: 'Rescheduled', started: 'In progress', completed: 'Completed', cancelled: 'Cancelled' }[kind];
  const affects = m.components.length ? `Affects: ${m.components.join(', ')}\n` : '';
  return {
    groupKey: `status-page:maintenance:${m.id}`,
    subject: `[${s.title}] Maintenance ${what.toLowerCase()}: ${m.name}`,
    text: `${m.name}\n\n${what}: ${when}\n${affects}\n${pageURL}`,
    html: `<h2>${esc(m.name)}</h2><p><strong>${esc(what)}</strong>: ${esc(when)}</p>${m.components.length ? `<p>Affects: ${esc(m.components.join(', '))}</p>` : ''}<p><a href="${esc(pageURL)}">${esc(s.title)}</a></p>`,
    webhook: {
      page: { status_indicator: s.status.indicator, status_description: s.status.description },
      scheduled_maintenance: { ...maintenanceJson(m), status: kind === 'started' ? 'in_progress' : kind === 'rescheduled' ? 'scheduled' : kind },
    },
  };
}
