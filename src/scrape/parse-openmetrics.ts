import {
  ExpositionError,
  LineCursor,
  parseGoFloat,
  splitLines,
  type MetricType,
  type ParseResult,
  type ParsedSample,
} from './exposition.js';

/**
 * OpenMetrics 1.0 text. Differences from the Prometheus text format that matter here:
 * the exposition must end with `# EOF`; timestamps are float seconds (converted to ms,
 * rounded); the only comments are HELP, TYPE, UNIT and EOF; exemplars (`# {...} v [ts]`
 * after a sample) are skipped. `_created` series are kept as ordinary samples, which is
 * what Prometheus does unless created-timestamp ingestion is turned on. Blank lines are
 * tolerated although the spec forbids them.
 */
const OM_TYPES = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']);

export function parseOpenMetrics(body: string): ParseResult {
  const samples: ParsedSample[] = [];
  const types = new Map<string, MetricType>();
  const help = new Map<string, string>();
  const units = new Map<string, string>();
  const lines = splitLines(body);
  // A trailing newline after "# EOF" is the normal ending, not an extra line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  let eof = false;
  lines.forEach((text, i) => {
    const cur = new LineCursor(text, i + 1);
    if (eof) cur.fail('unexpected content after # EOF');
    if (text.trim() === '') return;
    if (text.startsWith('#')) {
      eof = metadata(cur, types, help, units);
      return;
    }
    samples.push(sampleLine(cur));
  });
  if (!eof) throw new ExpositionError(Math.max(1, lines.length), 'missing "# EOF" at the end of the exposition');
  return { samples, types, help, units };
}

/** Returns true for `# EOF`. */
function metadata(cur: LineCursor, types: Map<string, MetricType>, help: Map<string, string>, units: Map<string, string>): boolean {
  cur.pos++;
  if (cur.skipBlanks() === 0) cur.fail('expected a blank after #');
  const keyword = cur.token();
  if (keyword === 'EOF') {
    cur.skipBlanks();
    if (!cur.atEnd()) cur.fail('unexpected text after # EOF');
    return true;
  }
  if (keyword !== 'HELP' && keyword !== 'TYPE' && keyword !== 'UNIT') {
    cur.fail(`expected HELP, TYPE, UNIT or EOF after #, got ${JSON.stringify(keyword)}`);
  }
  if (cur.skipBlanks() === 0) cur.fail(`expected a metric name after # ${keyword}`);
  const name = cur.metricName();
  const blanks = cur.skipBlanks();
  const rest = cur.rest();
  if (keyword === 'HELP') {
    help.set(name, rest.replace(/\\(["\\n])/g, (_, e: string) => (e === 'n' ? '\n' : e)));
  } else if (keyword === 'UNIT') {
    if (rest !== '' && !/^[a-zA-Z0-9_:]+$/.test(rest)) cur.fail(`invalid unit ${JSON.stringify(rest)} for ${name}`);
    if (rest !== '' && !name.endsWith(`_${rest}`)) cur.fail(`unit ${JSON.stringify(rest)} is not a suffix of metric ${name}`);
    units.set(name, rest);
  } else {
    if (blanks === 0 || !OM_TYPES.has(rest)) cur.fail(`invalid metric type ${JSON.stringify(rest)} for ${name}`);
    if (types.has(name)) cur.fail(`second TYPE line for metric ${name}`);
    types.set(name, rest as MetricType);
  }
  return false;
}

function sampleLine(cur: LineCursor): ParsedSample {
  const labels = cur.series();
  const value = cur.value();
  cur.skipBlanks();
  if (cur.atEnd() || cur.peek() === '#') {
    exemplar(cur);
    return { labels, value };
  }
  const tok = cur.token();
  const secs = parseGoFloat(tok);
  if (secs === undefined || !Number.isFinite(secs)) cur.fail(`expected a timestamp in seconds, got ${JSON.stringify(tok)}`);
  cur.skipBlanks();
  exemplar(cur);
  return { labels, value, timestamp: Math.round(secs * 1000) };
}

/** Validates and discards an optional `# {labels} value [timestamp]`. */
function exemplar(cur: LineCursor): void {
  if (cur.atEnd()) return;
  if (cur.peek() !== '#') cur.fail(`unexpected text after the sample: ${JSON.stringify(cur.rest())}`);
  cur.pos++;
  cur.skipBlanks();
  if (cur.peek() !== '{') cur.fail('expected "{" to start an exemplar');
  cur.labelSet({});
  cur.value();
  cur.skipBlanks();
  if (!cur.atEnd()) {
    const ts = cur.token();
    if (parseGoFloat(ts) === undefined) cur.fail(`expected an exemplar timestamp, got ${JSON.stringify(ts)}`);
  }
  cur.skipBlanks();
  if (!cur.atEnd()) cur.fail(`unexpected text after the exemplar: ${JSON.stringify(cur.rest())}`);
}
