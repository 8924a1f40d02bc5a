import { esc } from './html.js';
import type { StatusSnapshot } from './page.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The Atom feed (RFC 4287) of the page's public incidents and maintenance: one entry per
 * incident, its content every public update, newest first; one entry per maintenance window
 * in progress or upcoming. `pageURL` is the absolute URL of /status.
 */
export function renderFeed(s: StatusSnapshot, pageURL: string): string {
  const entries: Array<{ id: string; title: string; link: string; updated: number; published: number; html: string }> = [];
  for (const i of [...s.active, ...s.past]) {
    const html = i.updates.map((u) => `<p><strong>${esc(u.status)}</strong> (${esc(iso(u.at))}): ${esc(u.body)}</p>`).join('');
    entries.push({
      id: `${pageURL}/incidents/${encodeURIComponent(i.id)}`,
      title: `${i.name} (${i.status})`,
      link: `${pageURL}/incidents/${encodeURIComponent(i.id)}`,
      updated: i.updatedAt,
      published: i.createdAt,
      html: `${i.components.length ? `<p>Affects ${esc(i.components.join(', '))}</p>` : ''}${html}`,
    });
  }
  for (const m of s.maintenance) {
    entries.push({
      id: `${pageURL}#maintenance-${encodeURIComponent(m.id)}`,
      title: `Maintenance: ${m.name}`,
      link: `${pageURL}#maintenance`,
      updated: m.scheduledFor,
      published: m.scheduledFor,
      html: `<p>${m.status === 'in_progress' ? 'In progress' : 'Scheduled'} from ${esc(iso(m.scheduledFor))} to ${esc(iso(m.scheduledUntil))}.</p>${m.components.length ? `<p>Affects ${esc(m.components.join(', '))}</p>` : ''}`,
    });
  }
  entries.sort((a, b) => b.updated - a.updated);
  const updated = entries.reduce((t, e) => Math.max(t, e.updated), 0) || s.generatedAt;
  const body = entries
    .map(
      (e) => `  <entry>
    <id>${esc(e.id)}</id>
    <title>${esc(e.title)}</title>
    <link rel="alternate" type="text/html" href="${esc(e.link)}"/>
    <published>${iso(e.published)}</published>
    <updated>${iso(e.updated)}</updated>
    <content type="html">${esc(e.html)}</content>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${esc(pageURL)}</id>
  <title>${esc(s.title)}: incidents and maintenance</title>
  <link rel="alternate" type="text/html" href="${esc(pageURL)}"/>
  <link rel="self" type="application/atom+xml" href="${esc(`${pageURL}/feed.atom`)}"/>
  <updated>${iso(updated)}</updated>
  <author><name>${esc(s.title)}</name></author>
${body}
</feed>
`;
}
