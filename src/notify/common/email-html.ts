import type { Alerts, TemplateData } from './template-data.js';

/**
 * Vigil's default HTML mail (`email.default.html`): a coloured banner with the alert count and
 * group labels, a button per link (acknowledge, resolve, incident) and one to Vigil, then the
 * firing and resolved alerts with their labels, annotations and source. Inline styles only,
 * as mail clients drop style sheets. Expects data whose strings are already HTML-escaped
 * (html mode escapes them, as html/template escapes printed values).
 */
const FONT = "font-family: 'Helvetica Neue', Helvetica, Arial, sans-serif; font-size: 14px;";

function button(url: string, text: string, colour: string): string {
  return `<a href="${url}" style="${FONT} display: inline-block; margin: 0 8px 8px 0; padding: 10px 20px; border-radius: 5px; background-color: ${colour}; color: #fff; font-weight: bold; text-decoration: none;">${text}</a>`;
}

const LINK_COLOURS: Record<string, string> = { ack: '#E6522C', resolve: '#68B90F' };

function alertList(title: string, as: Alerts): string {
  if (as.length === 0) return '';
  const items = as
    .map((a) => {
      const rows = (kv: typeof a.Labels): string =>
        kv
          .SortedPairs()
          .map((p) => `<tr><td style="${FONT} padding: 2px 12px 2px 0; color: #666; vertical-align: top;">${p.Name}</td><td style="${FONT} padding: 2px 0;">${p.Value}</td></tr>`)
          .join('');
      const annotations = Object.keys(a.Annotations).length ? `<tr><td colspan="2" style="${FONT} padding: 8px 0 2px; font-weight: bold;">Annotations</td></tr>${rows(a.Annotations)}` : '';
      const source = a.GeneratorURL ? `<p style="${FONT} margin: 6px 0 0;"><a href="${a.GeneratorURL}">Source</a></p>` : '';
      return `<div style="border-top: 1px solid #e9e9e9; padding: 12px 0;"><table cellpadding="0" cellspacing="0"><tr><td colspan="2" style="${FONT} padding: 0 0 2px; font-weight: bold;">Labels</td></tr>${rows(a.Labels)}${annotations}</table>${source}</div>`;
    })
    .join('\n');
  return `<h3 style="${FONT} font-size: 16px; margin: 20px 0 8px;">[${as.length}] ${title}</h3>\n${items}`;
}

export function emailHTML(d: TemplateData, subject: string, vigilURL: string): string {
  const firing = d.Alerts.Firing();
  const n = d.Alerts.length;
  const group = d.GroupLabels.SortedPairs()
    .map((p) => `${p.Name}=${p.Value}`)
    .join(' ');
  const banner = firing.length > 0 ? '#E6522C' : '#68B90F';
  const buttons = [...d.Links.map((l) => button(l.URL, l.Text, LINK_COLOURS[l.Rel] ?? '#348eda')), button(vigilURL, 'View in Vigil', '#348eda')].join('');
  return `<!DOCTYPE html>
<html>
<head>
<meta name="viewport" content="width=device-width">
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>${subject}</title>
</head>
<body style="margin: 0; padding: 20px; background-color: #f6f6f6; ${FONT}">
<table width="100%" cellpadding="0" cellspacing="0" style="max-width: 600px; margin: 0 auto; background-color: #fff; border: 1px solid #e9e9e9; border-radius: 3px;">
<tr><td style="${FONT} font-size: 16px; color: #fff; font-weight: 500; padding: 20px; text-align: center; background-color: ${banner}; border-radius: 3px 3px 0 0;">${n} alert${n > 1 ? 's' : ''} for ${group}</td></tr>
<tr><td style="${FONT} padding: 24px 30px;">
<div>${buttons}</div>
${alertList('Firing', firing)}
${alertList('Resolved', d.Alerts.Resolved())}
<p style="${FONT} color: #999; font-size: 12px; margin: 20px 0 0;">Sent by Vigil</p>
</td></tr>
</table>
</body>
</html>
`;
}
