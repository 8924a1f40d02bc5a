import { esc, layout, timeTag } from './html.js';
import type { PublicComponent, PublicIncident, PublicMaintenance, StatusSnapshot } from './page.js';
import { STATUS_LABEL } from './state.js';
import { barLevel, percent } from './uptime.js';

/** Where the public pages live: `base` is the path of /status (behind a proxy, with its prefix). */
export interface PageLinks {
  readonly base: string;
  readonly json: string;
  readonly feed: string;
}

export interface SubscribeOptions {
  readonly email: boolean;
  readonly webhook: boolean;
}

/** A message shown at the top of the page, e.g. after the subscribe form was sent. */
export interface PageNotice {
  readonly kind: 'ok' | 'error';
  readonly text: string;
  /** What the visitor typed, to show again after an error. */
  readonly address?: string;
  readonly channel?: string;
}

function bars(c: PublicComponent): string {
  const days = c.uptime.days;
  const spans = days
    .map((d) => {
      const text = d.ratio === null ? `${d.date}: no data` : `${d.date}: ${percent(d.ratio)} of ${d.total} check results succeeded`;
      return `<span class="b-${barLevel(d.ratio)}" title="${esc(text)}"></span>`;
    })
    .join('');
  const ratio = c.uptime.ratio === null ? 'no check data' : `${percent(c.uptime.ratio)} uptime`;
  const short = Math.min(30, days.length);
  return `<div class="bars" role="img" aria-label="${esc(`${c.name}: ${ratio} over ${days.length} days`)}">${spans}</div>
<div class="axis"><span><span class="days-long">${days.length} days ago</span><span class="days-short">${short} days ago</span></span><span>${esc(ratio)}</span><span>Today</span></div>`;
}

function component(c: PublicComponent): string {
  return `<div class="card" data-component="${esc(c.name)}">
<div class="comp"><h3>${esc(c.name)}</h3><span class="st st-${c.status}" data-status="${c.status}">${STATUS_LABEL[c.status]}</span></div>
${c.description ? `<div class="muted">${esc(c.description)}</div>` : ''}
${bars(c)}
</div>`;
}

function components(list: readonly PublicComponent[]): string {
  if (list.length === 0) return '';
  const groups = new Map<string, PublicComponent[]>();
  for (const c of list) {
    const key = c.group ?? '';
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: string[] = ['<h2 id="components">Components</h2>'];
  for (const [group, items] of groups) {
    out.push(`<section class="group"${group ? ` aria-label="${esc(group)}"` : ''}>${group ? `<h3 class="muted" style="margin:.5rem 0">${esc(group)}</h3>` : ''}${items.map(component).join('\n')}</section>`);
  }
  return out.join('\n');
}

export function incidentBlock(i: PublicIncident, links: PageLinks, heading: 'h2' | 'h3' = 'h3'): string {
  const updates = i.updates
    .map((u) => `<div class="update"><span class="label">${esc(u.status)}</span> <span class="muted">${timeTag(u.at)}</span><p>${esc(u.body)}</p></div>`)
    .join('\n');
  const affects = i.components.length ? `<div class="muted">Affects ${esc(i.components.join(', '))}</div>` : '';
  return `<article class="card incident" id="${esc(i.id)}" data-incident="${esc(i.id)}">
<${heading}><a href="${esc(`${links.base}/incidents/${encodeURIComponent(i.id)}`)}">${esc(i.name)}</a></${heading}>
${affects}
${updates}
</article>`;
}

function maintenanceBlock(m: PublicMaintenance): string {
  const state = m.status === 'in_progress' ? 'In progress' : 'Scheduled';
  const affects = m.components.length ? `<div class="muted">Affects ${esc(m.components.join(', '))}</div>` : '';
  return `<article class="card" data-maintenance="${esc(m.id)}">
<h3>${esc(m.name)}</h3>
<div><span class="label">${state}</span>: ${timeTag(m.scheduledFor)} to ${timeTag(m.scheduledUntil)}</div>
${affects}
</article>`;
}

function subscribeForm(links: PageLinks, opts: SubscribeOptions, notice: PageNotice | undefined): string {
  if (!opts.email && !opts.webhook) return '';
  const channels = [opts.email ? 'email' : '', opts.webhook ? 'webhook' : ''].filter(Boolean);
  const chosen = notice?.channel && channels.includes(notice.channel) ? notice.channel : channels[0];
  const select =
    channels.length > 1
      ? `<label for="sub-channel">Notify me by</label><select id="sub-channel" name="channel">${channels.map((c) => `<option value="${c}"${c === chosen ? ' selected' : ''}>${c === 'email' ? 'Email' : 'Webhook'}</option>`).join('')}</select>`
      : `<input type="hidden" name="channel" value="${channels[0]}">`;
  const what = channels.length > 1 ? 'Email address or webhook URL' : channels[0] === 'email' ? 'Email address' : 'Webhook URL';
  return `<h2 id="subscribe">Get updates</h2>
<div class="card">
<form method="post" action="${esc(`${links.base}/subscribe`)}">
${select}
<label for="sub-address">${what}</label>
<input id="sub-address" name="address" required maxlength="2000" autocomplete="email" value="${esc(notice?.kind === 'error' ? (notice.address ?? '') : '')}">
<div><button type="submit">Subscribe</button></div>
</form>
<p class="muted" style="margin:.5rem 0 0">You hear about every public incident update and maintenance notice. ${opts.email ? 'Email subscriptions start once you follow the link we send. ' : ''}Or follow the <a href="${esc(links.feed)}">Atom feed</a>.</p>
</div>`;
}

function noticeBlock(n: PageNotice | undefined): string {
  if (!n) return '';
  return `<div class="notice notice-${n.kind}" role="${n.kind === 'error' ? 'alert' : 'status'}">${esc(n.text)}</div>`;
}

/** The status page itself. */
export function renderStatusPage(s: StatusSnapshot, links: PageLinks, subscribe: SubscribeOptions, notice?: PageNotice): string {
  const pastByDay = s.past.length
    ? s.past.map((i) => incidentBlock(i, links)).join('\n')
    : `<p class="muted">No incidents in the last days.</p>`;
  const body = `<header>
<h1>${esc(s.title)}</h1>
${s.description ? `<p class="muted" style="margin:0">${esc(s.description)}</p>` : ''}
<p style="margin:.25rem 0 0"><a href="#subscribe">Subscribe to updates</a></p>
</header>
${noticeBlock(notice)}
<div class="banner ind-${s.status.indicator}" role="status" data-indicator="${s.status.indicator}">${esc(s.status.description)}</div>
${s.active.length ? `<h2 id="incidents">Active incidents</h2>\n${s.active.map((i) => incidentBlock(i, links)).join('\n')}` : ''}
${s.maintenance.length ? `<h2 id="maintenance">Maintenance</h2>\n${s.maintenance.map(maintenanceBlock).join('\n')}` : ''}
${components(s.components)}
<h2 id="past">Past incidents</h2>
${pastByDay}
${subscribeForm(links, subscribe, notice)}
<footer>Updated ${timeTag(s.generatedAt)} · <a href="${esc(links.feed)}">Atom feed</a> · <a href="${esc(links.json)}">status.json</a> · Powered by Vigil</footer>`;
  return layout(s.title, body, { feed: links.feed, json: links.json });
}

/** One incident's page (the feed's and notices' links). */
export function renderIncidentPage(title: string, i: PublicIncident, links: PageLinks): string {
  const body = `<p><a href="${esc(links.base)}">← ${esc(title)}</a></p>
${incidentBlock(i, links, 'h2')}`;
  return layout(`${i.name} · ${title}`, body, { feed: links.feed });
}

/** A short page with one message (subscription confirmed, link expired…) and optionally a form with one button. */
export function renderMessagePage(title: string, heading: string, text: string, links: PageLinks, form?: { action: string; button: string; fields: Record<string, string> }): string {
  const f = form
    ? `<form method="post" action="${esc(form.action)}">${Object.entries(form.fields)
        .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
        .join('')}<div><button type="submit">${esc(form.button)}</button></div></form>`
    : '';
  const body = `<p><a href="${esc(links.base)}">← ${esc(title)}</a></p>
<div class="card"><h1>${esc(heading)}</h1><p>${esc(text)}</p>${f}</div>`;
  return layout(`${heading} · ${title}`, body);
}
