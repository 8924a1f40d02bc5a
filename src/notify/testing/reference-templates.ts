import type { Alert, Alerts, TemplateData } from '../common/template-data.js';
import { emailHTML } from '../common/email-html.js';
import { escapeData, slackBlocks as buildSlackBlocks } from '../common/html.js';
import { TemplateError } from '../common/templates.js';
import type { TemplateEngine } from '../common/templates.js';

/**
 * The default templates written out in TypeScript, as a reference: a test renders every name
 * through the Go template engine (common/default-tmpl.ts) and through these functions and
 * requires the same text, so a whitespace slip in the Go text cannot go unnoticed.
 */
type Fn = (d: TemplateData) => string;

/** Go's url.QueryEscape (template `urlquery`). */
function urlquery(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}


const product = (): string => 'Vigil';
const vigilURL: Fn = (d) => d.IncidentURL || `${d.ExternalURL}/alerts?receiver=${urlquery(d.Receiver)}`;

const subject: Fn = (d) => {
  const status = d.Status.toUpperCase();
  const count = d.Status === 'firing' ? `:${d.Alerts.Firing().length}` : '';
  const group = d.GroupLabels.Values().join(' ');
  const extra = Object.keys(d.CommonLabels).length > Object.keys(d.GroupLabels).length ? `(${d.CommonLabels.Remove(d.GroupLabels.Names()).Values().join(' ')})` : '';
  return `[${status}${count}] ${group} ${extra}`;
};

/** The subject without Alertmanager's trailing space (SMS, Slack blocks): `[FIRING:1] a b (c)`. */
const subjectShort: Fn = (d) => {
  const status = d.Status.toUpperCase();
  const count = d.Status === 'firing' ? `:${d.Alerts.Firing().length}` : '';
  const extra = Object.keys(d.CommonLabels).length > Object.keys(d.GroupLabels).length ? ` (${d.CommonLabels.Remove(d.GroupLabels.Names()).Values().join(' ')})` : '';
  return `[${status}${count}] ${d.GroupLabels.Values().join(' ')}${extra}`;
};

const pairs = (kv: Alert['Labels'], indent: string): string => kv.SortedPairs().map((p) => `${indent}- ${p.Name} = ${p.Value}\n`).join('');

const textAlertList = (as: Alerts): string =>
  as.map((a) => `Labels:\n${pairs(a.Labels, ' ')}Annotations:\n${pairs(a.Annotations, ' ')}Source: ${a.GeneratorURL}\n`).join('');

const markdownAlertList = (as: Alerts): string =>
  `${as.map((a) => `\nLabels:\n${pairs(a.Labels, '  ')}\nAnnotations:\n${pairs(a.Annotations, '  ')}\nSource: ${a.GeneratorURL}\n`).join('')}\n`;

const commonValues: Fn = (d) => d.CommonAnnotations.Values().join(' ');

/** `Alerts Firing:` / `Alerts Resolved:` sections, each wrapped as default.tmpl wraps them. */
function sections(d: TemplateData, heading: string, list: (as: Alerts) => string, wrap: (s: string) => string): string {
  const f = d.Alerts.Firing();
  const r = d.Alerts.Resolved();
  return `${f.length ? wrap(`${heading}Alerts Firing:\n${list(f)}`) : ''}\n${r.length ? wrap(`${heading}Alerts Resolved:\n${list(r)}`) : ''}`;
}
const spaced = (s: string): string => `\n${s}\n`;

/** Vigil: one `Text: URL` line per link, after a blank line; empty without links. */
const linksText: Fn = (d) => (d.Links.length ? `\n${d.Links.map((l) => `${l.Text}: ${l.URL}\n`).join('')}` : '');
const linksMarkdown: Fn = (d) => (d.Links.length ? `\n${d.Links.map((l) => `[${l.Text}](${l.URL})`).join(' | ')}\n` : '');

const telegramLike: Fn = (d) => `\n${sections(d, '', textAlertList, spaced)}\n`;
const pushoverLike: Fn = (d) => `${commonValues(d)}\n${sections(d, '', textAlertList, spaced)}\n`;
const teamsText: Fn = (d) => `\n${sections(d, '# ', markdownAlertList, spaced)}\n`;

/** Vigil's default Slack text: the summary (or description) of each alert, one bullet each. */
const slackText: Fn = (d) =>
  d.Alerts.map((a) => {
    const s = (a.Annotations.summary as string | undefined) || (a.Annotations.description as string | undefined) || '';
    return s ? `• ${s}\n` : '';
  }).join('');

const slackBlocksRef: Fn = (d) => buildSlackBlocks(d, subjectShort(d), vigilURL(d), slackText(d));

/** A plain-text mail body (Vigil; Alertmanager sends HTML only by default). */
const emailText: Fn = (d) => `${subject(d)}\n\n${sections(d, '', textAlertList, spaced)}\nView in Vigil: ${vigilURL(d)}\n${linksText(d)}`;

export const DEFAULT_TEMPLATES: Readonly<Record<string, Fn>> = {
  __alertmanager: product,
  __alertmanagerURL: vigilURL,
  __subject: subject,
  __subject_short: subjectShort,
  __description: () => '',
  __vigil_links_text: linksText,
  __vigil_links_markdown: linksMarkdown,

  'slack.default.title': subject,
  'slack.default.username': product,
  'slack.default.fallback': (d) => `${subject(d)} | ${vigilURL(d)}`,
  'slack.default.callbackid': () => '',
  'slack.default.pretext': () => '',
  'slack.default.titlelink': vigilURL,
  'slack.default.iconemoji': () => '',
  'slack.default.iconurl': () => '',
  'slack.default.text': slackText,
  'slack.default.footer': () => '',
  'slack.default.color': (d) => (d.Status === 'firing' ? 'danger' : 'good'),
  'slack.vigil.blocks': slackBlocksRef,

  'pagerduty.default.description': subject,
  'pagerduty.default.client': product,
  'pagerduty.default.clientURL': vigilURL,
  'pagerduty.default.instances': (d) => textAlertList(d.Alerts),

  'opsgenie.default.message': subject,
  'opsgenie.default.description': (d) =>
    `${commonValues(d)}\n${sections(d, '', textAlertList, (s) => s)}${linksText(d)}`,
  'opsgenie.default.source': vigilURL,

  'pushover.default.title': subject,
  'pushover.default.message': (d) => `${pushoverLike(d)}${linksText(d)}`,
  'pushover.default.url': vigilURL,

  'telegram.default.message': (d) => `${telegramLike(d)}${linksText(d)}`,
  'discord.default.content': () => '',
  'discord.default.title': subject,
  'discord.default.message': (d) => `${telegramLike(d)}${linksMarkdown(d)}`,
  'webex.default.message': (d) => `${pushoverLike(d)}${linksMarkdown(d)}`,

  'msteamsv2.default.title': subject,
  'msteamsv2.default.text': teamsText,

  'mattermost.default.color': (d) => (d.Status === 'firing' ? 'danger' : 'good'),
  'mattermost.default.username': product,
  'mattermost.default.title': subject,
  'mattermost.default.titlelink': vigilURL,
  'mattermost.default.fallback': (d) => `${subject(d)} | ${vigilURL(d)}`,
  'mattermost.default.text': (d) => `${teamsText(d)}${linksMarkdown(d)}`,

  'email.default.subject': subject,
  'email.default.text': emailText,
  'email.default.html': (d) => emailHTML(d, subject(d), vigilURL(d)),

  'ntfy.default.title': subject,
  'ntfy.default.message': pushoverLike,
  'ntfy.default.priority': (d) => (d.Status === 'firing' ? (d.CommonLabels.severity === 'critical' ? 'urgent' : 'high') : 'default'),
  'ntfy.default.tags': (d) => (d.Status === 'firing' ? 'rotating_light' : 'white_check_mark'),

  'twilio.default.sms': (d) => `${subjectShort(d)}${d.AckURL ? `\nAck: ${d.AckURL}` : ''}${d.IncidentURL ? `\n${d.IncidentURL}` : ''}`,
  'twilio.default.voice': (d) => {
    const firing = d.Alerts.Firing().length;
    const name = d.GroupLabels.Values().join(' ') || 'alerts';
    return firing > 0
      ? `This is Vigil. ${firing} alert${firing > 1 ? 's are' : ' is'} firing for ${name}. ${commonSummary(d)}`
      : `This is Vigil. The alerts for ${name} have resolved.`;
  },
};

function commonSummary(d: TemplateData): string {
  const s = d.CommonAnnotations.summary;
  return typeof s === 'string' && s ? s : '';
}

/**
 * Alertmanager's defaults that are not named templates, by their exact text: PagerDuty's
 * details and Pushover's priority.
 */
const DEFAULT_TEXTS: Readonly<Record<string, Fn>> = {
  '{{ .Alerts.Firing | toJson }}': (d) => JSON.stringify(d.Alerts.Firing()),
  '{{ .Alerts.Resolved | toJson }}': (d) => JSON.stringify(d.Alerts.Resolved()),
  '{{ .Alerts.Firing | len }}': (d) => String(d.Alerts.Firing().length),
  '{{ .Alerts.Resolved | len }}': (d) => String(d.Alerts.Resolved().length),
  '{{ if eq .Status "firing" }}2{{ else }}0{{ end }}': (d) => (d.Status === 'firing' ? '2' : '0'),
};

const TEMPLATE_CALL = /^\{\{-?\s*template\s+"([^"]+)"\s+\.\s*-?\}\}$/;

/**
 * The renderer used until Vigil's Go template engine is plugged in: a field that is exactly
 * `{{ template "<default name>" . }}` renders that default; any other template is an error
 * at config load (check) and at render time. Text without `{{` is literal.
 */
export function builtinTemplates(extra: Readonly<Record<string, Fn>> = {}): TemplateEngine {
  const lookup = (text: string): Fn | string => {
    const exact = DEFAULT_TEXTS[text.trim()];
    if (exact) return exact;
    const m = TEMPLATE_CALL.exec(text.trim());
    if (!m) return 'custom templates are not supported yet: only the default templates ({{ template "<name>" . }}) can be used';
    const name = m[1] as string;
    const fn = extra[name] ?? DEFAULT_TEMPLATES[name];
    return fn ?? `template: no template "${name}" associated with template`;
  };
  const render = (text: string, d: TemplateData): string => {
    if (!text.includes('{{')) return text;
    const fn = lookup(text);
    if (typeof fn === 'string') throw new TemplateError(fn);
    return fn(d);
  };
  return {
    check: (text) => {
      if (!text.includes('{{')) return undefined;
      const fn = lookup(text);
      return typeof fn === 'string' ? fn : undefined;
    },
    text: render,
    // html/template escapes every value it prints in text context; the defaults print only
    // values of the data, so rendering them over an escaped copy gives the same text.
    html: (text, d) => render(text, escapeData(d)),
  };
}
