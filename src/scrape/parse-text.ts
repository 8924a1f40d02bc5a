import { LineCursor, splitLines, type MetricType, type ParseResult, type ParsedSample } from './exposition.js';

/**
 * The Prometheus text exposition format 0.0.4. Histogram and summary series (`_bucket`,
 * `_sum`, `_count`, quantiles) come out as plain float samples, as Prometheus ingests them.
 * Timestamps are integer milliseconds. Throws ExpositionError naming the line.
 */
const TEXT_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const INT = /^-?\d+$/;

export function parseText(body: string): ParseResult {
  const samples: ParsedSample[] = [];
  const types = new Map<string, MetricType>();
  const help = new Map<string, string>();
  const lines = splitLines(body);
  lines.forEach((text, i) => {
    const cur = new LineCursor(text, i + 1);
    cur.skipBlanks();
    if (cur.atEnd()) return;
    if (cur.peek() === '#') {
      comment(cur, types, help);
      return;
    }
    samples.push(sampleLine(cur));
  });
  return { samples, types, help, units: new Map() };
}

function comment(cur: LineCursor, types: Map<string, MetricType>, help: Map<string, string>): void {
  cur.pos++;
  cur.skipBlanks();
  const keyword = cur.token();
  if (keyword !== 'HELP' && keyword !== 'TYPE') return; // any other comment is ignored
  if (cur.skipBlanks() === 0) cur.fail(`expected a metric name after # ${keyword}`);
  const name = cur.metricName();
  if (keyword === 'HELP') {
    cur.skipBlanks();
    help.set(name, cur.rest().replace(/\\(\\|n)/g, (_, e: string) => (e === 'n' ? '\n' : '\\')));
    return;
  }
  if (cur.skipBlanks() === 0) cur.fail(`expected a metric type after # TYPE ${name}`);
  const t = cur.token();
  if (!TEXT_TYPES.has(t)) cur.fail(`invalid metric type ${JSON.stringify(t)} for ${name}`);
  cur.skipBlanks();
  if (!cur.atEnd()) cur.fail(`unexpected text after # TYPE ${name} ${t}`);
  if (types.has(name)) cur.fail(`second TYPE line for metric ${name}`);
  types.set(name, t as MetricType);
}

function sampleLine(cur: LineCursor): ParsedSample {
  const labels = cur.series();
  const value = cur.value();
  cur.skipBlanks();
  if (cur.atEnd()) return { labels, value };
  const tok = cur.token();
  if (!INT.test(tok) || !Number.isSafeInteger(Number(tok))) cur.fail(`expected an integer timestamp in milliseconds, got ${JSON.stringify(tok)}`);
  cur.skipBlanks();
  if (!cur.atEnd()) cur.fail(`unexpected text after the timestamp: ${JSON.stringify(cur.rest())}`);
  return { labels, value, timestamp: Number(tok) };
}
