/** Escapes text for HTML element content and double-quoted attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Dec 7, 2026, 05:40 UTC`: pages render without JavaScript, so times are shown in UTC. */
export function humanTime(ms: number): string {
  const d = new Date(ms);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

export function timeTag(ms: number): string {
  return `<time datetime="${new Date(ms).toISOString()}">${humanTime(ms)}</time>`;
}

/** Styles shared by every public page: small, inline, light and dark by prefers-color-scheme. */
export const STYLE = `
:root{color-scheme:light dark;--bg:#f7f8fa;--card:#fff;--fg:#1d2330;--muted:#5c6577;--line:#dfe3ea;--ok:#1f8f4e;--minor:#c99a06;--major:#e0701a;--critical:#d0342c;--maint:#2f6fd6;--none:#c9ced8}
@media (prefers-color-scheme:dark){:root{--bg:#11151c;--card:#1a2029;--fg:#e6e9ef;--muted:#9aa3b2;--line:#2c3440;--ok:#3fbf73;--minor:#e3b93b;--major:#f08a3c;--critical:#f0625a;--maint:#5b93ef;--none:#3a4350}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:52rem;margin:0 auto;padding:1.5rem 1rem 3rem}
a{color:var(--maint)}
h1{font-size:1.6rem;margin:0 0 .25rem}
h2{font-size:1.15rem;margin:2rem 0 .75rem}
h3{font-size:1rem;margin:0}
.muted{color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;margin:0 0 .75rem}
.banner{border-radius:8px;padding:1rem 1.25rem;color:#fff;font-weight:600;font-size:1.15rem;margin:1.25rem 0}
.ind-none{background:var(--ok)}.ind-minor{background:var(--minor);color:#1d2330}.ind-major{background:var(--major)}.ind-critical{background:var(--critical)}.ind-maintenance{background:var(--maint)}
.group{margin:0 0 .75rem}
.comp{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 1rem;align-items:baseline}
.st{font-weight:600;font-size:.95rem}
.st-operational{color:var(--ok)}.st-degraded_performance{color:var(--minor)}.st-partial_outage{color:var(--major)}.st-major_outage{color:var(--critical)}.st-under_maintenance{color:var(--maint)}
.bars{display:flex;gap:2px;height:2rem;margin:.6rem 0 .3rem}
.bars span{flex:1;border-radius:2px;min-width:0}
.b-none{background:var(--none)}.b-ok{background:var(--ok)}.b-minor{background:var(--minor)}.b-major{background:var(--major)}.b-critical{background:var(--critical)}
.axis{display:flex;justify-content:space-between;font-size:.8rem;color:var(--muted)}
.days-short{display:none}
.update{border-left:3px solid var(--line);padding:.1rem 0 .1rem .75rem;margin:.6rem 0}
.update p{margin:.15rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
.label{font-weight:600;text-transform:capitalize}
form{display:grid;gap:.5rem}
label{font-weight:600}
input,select,button{font:inherit;padding:.55rem .7rem;border-radius:6px;border:1px solid var(--line);background:var(--bg);color:var(--fg);width:100%}
button{background:var(--maint);border-color:var(--maint);color:#fff;font-weight:600;cursor:pointer;width:auto}
.notice{padding:.75rem 1rem;border-radius:6px;margin:1rem 0;border:1px solid var(--line)}
.notice-error{border-color:var(--critical)}.notice-ok{border-color:var(--ok)}
footer{margin-top:2.5rem;font-size:.85rem;color:var(--muted)}
@media (max-width:640px){main{padding:1rem .75rem 2rem}h1{font-size:1.35rem}.bars span:nth-child(-n+60){display:none}.days-long{display:none}.days-short{display:inline}}
`;

/** A complete public page: no scripts, no external resources. */
export function layout(title: string, body: string, opts: { feed?: string; json?: string } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
${opts.feed ? `<link rel="alternate" type="application/atom+xml" title="${esc(title)}: incidents and maintenance" href="${esc(opts.feed)}">` : ''}
${opts.json ? `<link rel="alternate" type="application/json" href="${esc(opts.json)}">` : ''}
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
