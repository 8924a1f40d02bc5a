/**
 * The Go text/template subset line_format and label_format accept: literal text and
 * `{{ .label }}` / `{{ __line__ }}` / `{{ __timestamp__ }}` actions, each optionally piped
 * through functions (`{{ .path | ToUpper }}`). A missing label renders as "".
 */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

export interface TemplateContext {
  labels: Readonly<Record<string, string>>;
  line: string;
  timestampMs: number;
}

export type Template = (ctx: TemplateContext) => string;

const FUNCS: Readonly<Record<string, (s: string) => string>> = {
  ToUpper: (s) => s.toUpperCase(),
  upper: (s) => s.toUpperCase(),
  ToLower: (s) => s.toLowerCase(),
  lower: (s) => s.toLowerCase(),
  TrimSpace: (s) => s.trim(),
  trim: (s) => s.trim(),
  title: (s) => s.replace(/\b\w/g, (c) => c.toUpperCase()),
  urldecode: (s) => { try { return decodeURIComponent(s); } catch { return s; } },
  urlencode: (s) => encodeURIComponent(s),
};

export function compileTemplate(src: string): Template {
  const parts: Array<string | Template> = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      parts.push(src.slice(i));
      break;
    }
    if (open > i) parts.push(src.slice(i, open));
    const close = src.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`template ${JSON.stringify(src)}: unclosed action at offset ${open}`);
    parts.push(compileAction(src.slice(open + 2, close).replace(/^-\s|\s-$/g, '').trim(), src));
    i = close + 2;
  }
  return (ctx) => parts.map((p) => (typeof p === 'string' ? p : p(ctx))).join('');
}

function compileAction(body: string, src: string): Template {
  const [head, ...pipes] = body.split('|').map((s) => s.trim());
  let base: Template;
  if (head === '__line__') base = (c) => c.line;
  else if (head === '__timestamp__') base = (c) => new Date(c.timestampMs).toISOString();
  else if (head !== undefined && /^\.[A-Za-z_][A-Za-z0-9_]*$/.test(head)) {
    const name = head.slice(1);
    base = (c) => c.labels[name] ?? '';
  } else if (head !== undefined && /^"(?:[^"\\]|\\.)*"$/.test(head)) {
    const lit = JSON.parse(head) as string;
    base = () => lit;
  } else throw new TemplateError(`template ${JSON.stringify(src)}: unsupported action {{${body}}} (supported: .label, __line__, __timestamp__, "text", piped functions)`);
  const fns = pipes.map((p) => {
    const f = FUNCS[p];
    if (!f) throw new TemplateError(`template ${JSON.stringify(src)}: function ${JSON.stringify(p)} not defined (have ${Object.keys(FUNCS).join(', ')})`);
    return f;
  });
  return (c) => fns.reduce((v, f) => f(v), base(c));
}
