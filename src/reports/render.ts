import type { Block, ReportDocument, ReportFormat } from './document.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function mdBlocks(blocks: readonly Block[], level: number, out: string[]): void {
  for (const b of blocks) {
    switch (b.type) {
      case 'paragraph':
      case 'markdown':
        out.push(b.text.trim(), '');
        break;
      case 'list':
        for (const i of b.items) out.push(`- ${i.replace(/\r?\n/g, ' ')}`);
        out.push('');
        break;
      case 'table':
        out.push(`| ${b.columns.map(cell).join(' | ')} |`, `|${b.columns.map(() => '---').join('|')}|`);
        for (const r of b.rows) out.push(`| ${r.map(cell).join(' | ')} |`);
        out.push('');
        break;
      case 'subsection':
        out.push(`${'#'.repeat(level + 1)} ${b.heading}`, '');
        mdBlocks(b.blocks, level + 1, out);
        break;
      default: {
        const never: never = b;
        return never;
      }
    }
  }
}

export function renderMarkdown(doc: ReportDocument): string {
  const out = [`# ${doc.title}`, ''];
  for (const s of doc.sections) {
    out.push(`## ${s.heading}`, '');
    mdBlocks(s.blocks, 2, out);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function htmlBlocks(blocks: readonly Block[], level: number, out: string[]): void {
  for (const b of blocks) {
    switch (b.type) {
      case 'paragraph':
        out.push(`<p>${esc(b.text)}</p>`);
        break;
      case 'markdown':
        // What people wrote, shown as written: line breaks kept, nothing interpreted.
        out.push(`<div class="text">${esc(b.text.trim()).replace(/\r?\n/g, '<br>')}</div>`);
        break;
      case 'list':
        out.push(`<ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`);
        break;
      case 'table':
        out.push(
          `<table><thead><tr>${b.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${b.rows
            .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`,
        );
        break;
      case 'subsection':
        out.push(`<h${Math.min(level + 1, 6)}>${esc(b.heading)}</h${Math.min(level + 1, 6)}>`);
        htmlBlocks(b.blocks, level + 1, out);
        break;
      default: {
        const never: never = b;
        return never;
      }
    }
  }
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:14px}th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}.text{margin:.5rem 0}`;

/** A standalone HTML page: inline style, no scripts, readable in a mail client. */
export function renderHtml(doc: ReportDocument): string {
  const out = [`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(doc.title)}</title><style>${STYLE}</style></head><body>`, `<h1>${esc(doc.title)}</h1>`];
  for (const s of doc.sections) {
    out.push(`<h2>${esc(s.heading)}</h2>`);
    htmlBlocks(s.blocks, 2, out);
  }
  out.push('</body></html>');
  return out.join('\n') + '\n';
}

const iso = (t: number): string => new Date(t).toISOString();

/** The document for machines: the sections as rendered, and the figures behind them. */
export function renderJson(doc: ReportDocument): string {
  return (
    JSON.stringify(
      {
        kind: doc.kind,
        title: doc.title,
        generated_at: iso(doc.generatedAt),
        time_zone: doc.timeZone,
        ...(doc.period ? { period: { from: iso(doc.period.from), to: iso(doc.period.to) } } : {}),
        sections: doc.sections,
        data: doc.data,
      },
      null,
      2,
    ) + '\n'
  );
}

export const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export function render(doc: ReportDocument, format: ReportFormat): string {
  switch (format) {
    case 'markdown':
      return renderMarkdown(doc);
    case 'html':
      return renderHtml(doc);
    case 'json':
      return renderJson(doc);
    default: {
      const never: never = format;
      return never;
    }
  }
}
