import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpositionError } from './exposition.js';
import { parseText } from './parse-text.js';
import { parseOpenMetrics } from './parse-openmetrics.js';
import { parserFor } from './fetch-target.js';

function errorOf(fn: () => unknown): ExpositionError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ExpositionError, `expected ExpositionError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a parse error');
}

describe('Prometheus text format 0.0.4', () => {
  test('golden exposition: HELP/TYPE, escapes, special floats, timestamps, histogram series', () => {
    const body = [
      '# HELP http_requests_total The total number of HTTP requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400"}    3 1395066363000',
      '',
      '# Escaping in label values:',
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
      'metric_without_timestamp_and_labels 12.47',
      'something_weird{problem="division by zero"} +Inf -3982045',
      'neg_inf -Inf',
      'not_a_number NaN',
      '# TYPE rpc_duration_seconds histogram',
      'rpc_duration_seconds_bucket{le="0.05",} 24054',
      'rpc_duration_seconds_bucket{le="+Inf"} 144320',
      'rpc_duration_seconds_sum 53423',
      'rpc_duration_seconds_count 144320',
      '  trailing_blanks 1  ',
      'colon:name{a="x"} -0.5e-3',
    ].join('\n');
    const r = parseText(body);
    assert.equal(r.types.get('http_requests_total'), 'counter');
    assert.equal(r.types.get('rpc_duration_seconds'), 'histogram');
    assert.equal(r.help.get('http_requests_total'), 'The total number of HTTP requests.');
    assert.equal(r.samples.length, 13);
    assert.deepEqual(r.samples[0], {
      labels: { __name__: 'http_requests_total', method: 'post', code: '200' },
      value: 1027,
      timestamp: 1395066363000,
    });
    assert.deepEqual(r.samples[2]?.labels, {
      __name__: 'msdos_file_access_time_seconds',
      path: 'C:\\DIR\\FILE.TXT',
      error: 'Cannot find file:\n"FILE.TXT"',
    });
    assert.equal(r.samples[2]?.value, 1458255915);
    assert.deepEqual(r.samples[3], { labels: { __name__: 'metric_without_timestamp_and_labels' }, value: 12.47 });
    assert.equal(r.samples[4]?.value, Infinity);
    assert.equal(r.samples[4]?.timestamp, -3982045);
    assert.equal(r.samples[5]?.value, -Infinity);
    assert.ok(Number.isNaN(r.samples[6]?.value));
    assert.deepEqual(r.samples[8]?.labels, { __name__: 'rpc_duration_seconds_bucket', le: '+Inf' });
    assert.deepEqual(r.samples[10], { labels: { __name__: 'rpc_duration_seconds_count' }, value: 144320 });
    assert.deepEqual(r.samples[12], { labels: { __name__: 'colon:name', a: 'x' }, value: -0.0005 });
  });

  test('errors name the line and what was wrong', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['a 1\nb 2\nc abc', 3, /^line 3: expected a float value, got "abc"$/],
      ['ok 1\nx{a="1"', 2, /line 2: expected a quoted value|line 2: expected a label name|line 2: expected "," or "}"/],
      ['x{a="1} 2', 1, /unterminated value for label "a"/],
      ['x{a="1",a="2"} 2', 1, /duplicate label name "a"/],
      ['x{1a="1"} 2', 1, /expected a label name/],
      ['x{a=1} 2', 1, /expected a quoted value for label "a"/],
      ['x 1 12.5', 1, /expected an integer timestamp in milliseconds, got "12.5"/],
      ['x 1 2 3', 1, /unexpected text after the timestamp/],
      ['x', 1, /expected a float value, got end of line/],
      ['# TYPE x countr', 1, /invalid metric type "countr" for x/],
      ['# TYPE x counter\n# TYPE x gauge', 2, /second TYPE line for metric x/],
      ['1x 2', 1, /expected a metric name/],
    ];
    for (const [body, line, re] of cases) {
      const e = errorOf(() => parseText(body));
      assert.equal(e.line, line, body);
      assert.match(e.message, re, body);
    }
  });

  test('line numbers count blank and comment lines (line 7)', () => {
    const body = '# HELP a x\n# TYPE a gauge\na 1\n\n# just a comment\nb 2\nc abc\n';
    assert.equal(errorOf(() => parseText(body)).message, 'line 7: expected a float value, got "abc"');
  });

  test('unknown escapes are kept as written; CRLF is tolerated', () => {
    const r = parseText('x{a="t\\tb"} 1\r\ny 2\r\n');
    assert.equal(r.samples[0]?.labels['a'], 't\\tb');
    assert.equal(r.samples[1]?.value, 2);
  });
});

describe('OpenMetrics text', () => {
  test('golden exposition: units, seconds timestamps, exemplars ignored, _created kept', () => {
    const body = [
      '# TYPE acme_http_router_request_seconds summary',
      '# UNIT acme_http_router_request_seconds seconds',
      '# HELP acme_http_router_request_seconds Latency though all of ACME\'s HTTP request router.',
      'acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32',
      'acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0',
      'acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0',
      '# TYPE foo counter',
      'foo_total 17.0 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67',
      'foo_bucket{le="0.1"} 8 # {id="abc"} 0.043 1520879607.7',
      '# TYPE go_build info',
      'go_build_info{version="1.2"} 1',
      'nan_value NaN',
      '# EOF',
      '',
    ].join('\n');
    const r = parseOpenMetrics(body);
    assert.equal(r.units.get('acme_http_router_request_seconds'), 'seconds');
    assert.equal(r.types.get('go_build'), 'info');
    assert.equal(r.samples.length, 7);
    assert.deepEqual(r.samples[2], {
      labels: { __name__: 'acme_http_router_request_seconds_created', path: '/api/v1', method: 'GET' },
      value: 1605281325,
    });
    assert.deepEqual(r.samples[3], { labels: { __name__: 'foo_total' }, value: 17, timestamp: 1520879607789 });
    assert.deepEqual(r.samples[4], { labels: { __name__: 'foo_bucket', le: '0.1' }, value: 8 });
    assert.ok(Number.isNaN(r.samples[6]?.value));
  });

  test('# EOF is required and ends the exposition', () => {
    assert.match(errorOf(() => parseOpenMetrics('a 1\nb 2\n')).message, /^line 2: missing "# EOF"/);
    assert.match(errorOf(() => parseOpenMetrics('a 1\n# EOF\nb 2\n')).message, /^line 3: unexpected content after # EOF/);
    assert.equal(parseOpenMetrics('# EOF').samples.length, 0);
  });

  test('errors name the line', () => {
    const cases: Array<[string, RegExp]> = [
      ['a 1\n# random comment\n# EOF', /^line 2: expected HELP, TYPE, UNIT or EOF after #, got "random"/],
      ['a 1\nb x\n# EOF', /^line 2: expected a float value, got "x"/],
      ['a 1 abc\n# EOF', /^line 1: expected a timestamp in seconds, got "abc"/],
      ['# UNIT a_bytes seconds\n# EOF', /^line 1: unit "seconds" is not a suffix of metric a_bytes/],
      ['# TYPE a untyped\n# EOF', /^line 1: invalid metric type "untyped" for a/],
      ['a 1 # {x="1"\n# EOF', /^line 1: expected "," or "}"/],
    ];
    for (const [body, re] of cases) assert.match(errorOf(() => parseOpenMetrics(body)).message, re, body);
  });

  test('parser choice follows the response content type', () => {
    assert.equal(parserFor('application/openmetrics-text; version=1.0.0; charset=utf-8'), parseOpenMetrics);
    assert.equal(parserFor('text/plain; version=0.0.4; charset=utf-8'), parseText);
    assert.equal(parserFor(null), parseText);
  });
});
