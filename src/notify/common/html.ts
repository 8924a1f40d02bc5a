import { Alert, Alerts, KV, Link, Time } from './template-data.js';
import type { TemplateData } from './template-data.js';

/** html/template's escaping of a value printed in text context. */
export function htmlEscape(s: string): string {
  return s.replace(/[&<>"'+\0]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;', '+': '&#43;', '\0': '\uFFFD' })[c] as string);
}

function escapeKV(kv: KV): KV {
  const out = new KV();
  for (const k of Object.keys(kv)) out[k] = htmlEscape(kv[k] as string);
  return out;
}

/** A copy of the data with every string escaped, for HTML built from it (the default email). */
export function escapeData(d: TemplateData): TemplateData {
  const e = htmlEscape;
  return {
    ...d,
    Receiver: e(d.Receiver),
    Alerts: Alerts.list(d.Alerts.map((a) => new Alert(a.Status, escapeKV(a.Labels), escapeKV(a.Annotations), new Time(a.StartsAt.ms), new Time(a.EndsAt.ms), e(a.GeneratorURL), e(a.Fingerprint)))),
    GroupLabels: escapeKV(d.GroupLabels),
    CommonLabels: escapeKV(d.CommonLabels),
    CommonAnnotations: escapeKV(d.CommonAnnotations),
    ExternalURL: e(d.ExternalURL),
    GroupKey: e(d.GroupKey),
    Links: d.Links.map((l) => new Link(e(l.Rel), e(l.Text), e(l.URL))),
    IncidentURL: e(d.IncidentURL),
    AckURL: e(d.AckURL),
    ResolveURL: e(d.ResolveURL),
  };
}

/** Slack mrkdwn needs &, < and > escaped. */
const mrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Vigil's Block Kit message (`slack.vigil.blocks`, the default of Slack DMs to a person): the
 * title linked to Vigil and the alert summaries, then a button per link. Buttons open their
 * URL and carry `action_id` vigil_<rel> with the URL as `value`, so Slack's interactivity
 * endpoint can act on a click as well. Texts are cut to Block Kit's limits.
 */
export function slackBlocks(d: TemplateData, title: string, url: string, text: string): string {
  const body = `*<${url}|${mrkdwn(title)}>*\n${mrkdwn(text)}`;
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: [...body].slice(0, 3000).join('') } }];
  if (d.Links.length) {
    blocks.push({
      type: 'actions',
      block_id: 'vigil_links',
      elements: d.Links.slice(0, 25).map((l) => ({
        type: 'button',
        action_id: `vigil_${l.Rel}`,
        text: { type: 'plain_text', text: [...l.Text].slice(0, 75).join('') },
        url: l.URL,
        value: l.URL.slice(0, 2000),
        ...(l.Rel === 'ack' ? { style: 'primary' } : l.Rel === 'resolve' ? { style: 'danger' } : {}),
      })),
    });
  }
  return JSON.stringify(blocks);
}
