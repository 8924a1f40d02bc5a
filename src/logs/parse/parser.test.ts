import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLineParser, ParserConfigError } from './parser.js';
import { detectSourceFormat } from './detect.js';
import { parseTimestamp } from './timestamp.js';
import { compilePattern, PatternError } from './pattern.js';
import { parseLogfmt } from './logfmt.js';

const NOW = Date.UTC(2024, 9, 20, 12, 0, 0);
const auto = createLineParser({ format: 'auto' }, () => NOW);

describe('formats', () => {
  test('json with nested fields and aliases', () => {
    const p = auto('{"ts":"2024-10-11T22:14:15.003Z","level":"WARNING","msg":"slow query","service":"api","requestId":"r-1","trace":{"id":"t9"},"user":{"id":42},"remote_addr":"10.0.0.1","took_ms":1234}');
    assert.equal(p.format, 'json');
    assert.equal(p.timestamp, Date.UTC(2024, 9, 11, 22, 14, 15, 3));
    assert.equal(p.level, 'warn');
    assert.equal(p.message, 'slow query');
    assert.equal(p.service, 'api');
    assert.equal(p.requestId, 'r-1');
    assert.equal(p.traceId, 't9');
    assert.equal(p.userId, '42');
    assert.equal(p.clientIp, '10.0.0.1');
    assert.equal(p.fields.took_ms, '1234');
  });

  test('json with pino numeric level and epoch ms time', () => {
    const p = auto('{"level":50,"time":1729425600000,"pid":1,"msg":"boom"}');
    assert.equal(p.level, 'error');
    assert.equal(p.timestamp, 1729425600000);
  });

  test('logfmt with quoted values', () => {
    const p = auto('time=2024-10-11T22:14:15Z level=error msg="db \\"down\\" again" service=billing request_id=abc-123 duration=1.5s');
    assert.equal(p.format, 'logfmt');
    assert.equal(p.level, 'error');
    assert.equal(p.message, 'db "down" again');
    assert.equal(p.service, 'billing');
    assert.equal(p.requestId, 'abc-123');
    assert.equal(p.fields.duration, '1.5s');
    assert.equal(p.timestamp, Date.UTC(2024, 9, 11, 22, 14, 15));
  });

  test('logfmt bare keys and escapes', () => {
    assert.deepEqual(parseLogfmt('a=1 flag b="x y" c='), { a: '1', flag: '', b: 'x y', c: '' });
  });

  test('a JSON or logfmt line naming no message field: its free text, else its fields as key=value', () => {
    // The string field with the most words (three at least) reads as the message.
    assert.equal(auto('{"time":"2024-05-01T10:00:04Z","event_name":"job","detail":"worker finished the nightly export"}').message, 'worker finished the nightly export');
    assert.equal(auto('ts=2024-05-01T10:00:04Z kind=job note="worker finished the nightly export" n=3').message, 'worker finished the nightly export');
    // No free text: the pairs in their order, without the time, level and request/user ids.
    assert.equal(auto('{"time":"2024-05-01T10:00:05Z","level":"info","request_id":"r1","method":"GET","path":"/a b","status":200}').message, 'method=GET path="/a b" status=200');
    // A message field under a known alias still wins.
    assert.equal(auto('{"detail":"one two three four","msg":"short"}').message, 'short');
  });

  test('nginx/apache combined', () => {
    const p = auto('203.0.113.7 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?x=1 HTTP/1.0" 503 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"');
    assert.equal(p.format, 'combined');
    assert.equal(p.clientIp, '203.0.113.7');
    assert.equal(p.userId, 'frank');
    assert.equal(p.fields.method, 'GET');
    assert.equal(p.fields.path, '/apache_pb.gif?x=1');
    assert.equal(p.fields.status, '503');
    assert.equal(p.fields.user_agent, 'Mozilla/4.08 [en] (Win98; I ;Nav)');
    assert.equal(p.level, 'error');
    assert.equal(p.timestamp, Date.UTC(2000, 9, 10, 20, 55, 36));
  });

  test('common log format without referer/agent', () => {
    const p = auto('127.0.0.1 - - [20/Oct/2024:10:00:00 +0000] "POST /login HTTP/1.1" 404 -');
    assert.equal(p.format, 'combined');
    assert.equal(p.level, 'warn');
    assert.equal(p.fields.bytes, '0');
    assert.equal(p.userId, undefined);
  });

  test('syslog RFC 5424 with structured data', () => {
    const p = auto('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry');
    assert.equal(p.format, 'syslog5424');
    assert.equal(p.level, 'info'); // 165 = local4.notice
    assert.equal(p.fields.facility, '20');
    assert.equal(p.fields.hostname, 'mymachine.example.com');
    assert.equal(p.service, 'evntslog');
    assert.equal(p.fields['exampleSDID@32473.eventSource'], 'Application');
    assert.equal(p.message, 'An application event log entry');
    assert.equal(p.timestamp, Date.UTC(2003, 9, 11, 22, 14, 15, 3));
  });

  test('syslog RFC 3164 with and without PRI', () => {
    const p = auto("<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8");
    assert.equal(p.format, 'syslog3164');
    assert.equal(p.level, 'fatal'); // severity 2 = crit
    assert.equal(p.fields.procid, '123');
    assert.equal(p.service, 'su');
    assert.equal(p.timestamp, Date.UTC(2024, 9, 11, 22, 14, 15));
    const q = auto('Dec 30 23:59:01 web1 CRON[999]: (root) CMD (run-parts /etc/cron.hourly)');
    assert.equal(q.format, 'syslog3164');
    assert.equal(q.timestamp, Date.UTC(2023, 11, 30, 23, 59, 1), 'a stamp in the future is last year');
  });

  test('plain text with a timestamp/level header: the message is what follows it', () => {
    assert.equal(auto('Mon, 02 Jan 2006 15:04:05 -0700 WARN x').timestamp, Date.UTC(2006, 0, 2, 22, 4, 5));
    assert.equal(auto('20171223-22:15:29:606 x').timestamp, Date.UTC(2017, 11, 23, 22, 15, 29, 606));
    const p = auto('2024-10-20 12:00:00 ERROR connection refused');
    assert.equal(p.format, 'plain');
    assert.equal(p.level, 'error');
    assert.equal(p.timestamp, Date.UTC(2024, 9, 20, 12));
    assert.equal(p.message, 'connection refused');
    const cases: Array<[string, string | undefined, string]> = [
      ['2015-10-18 18:01:47,978 INFO [main] org.apache.X: Created app', 'info', 'org.apache.X: Created app'],
      ['2015-07-29 17:41:44,747 - WARN  [QuorumPeer[myid=1]/0:0:0:0:2181:Learner@233] - Exception when following', 'warn', 'Exception when following'],
      ['17/06/09 20:10:40 INFO executor.Backend: Registered signal handlers', 'info', 'executor.Backend: Registered signal handlers'],
      ['081109 203615 148 INFO dfs.DataNode: Receiving block blk_1', 'info', 'dfs.DataNode: Receiving block blk_1'],
      ['[Sun Dec 04 04:47:44 2005] [error] mod_jk child in error state 6', 'error', 'mod_jk child in error state 6'],
      ['2024/10/20 12:00:00 listening on :8080', undefined, 'listening on :8080'],
      // `Failure` begins the message; it is not taken for a level.
      ['2024-10-20T12:00:00Z Failure in module X', undefined, 'Failure in module X'],
      // Forms described by their parts (date, clock, zone), not by the programs that write them.
      ['Mon, 02 Jan 2006 15:04:05 -0700 WARN cache evicted', 'warn', 'cache evicted'],
      ['20171223-22:15:29:606|Step|30002312|flush done', undefined, 'Step|30002312|flush done'],
      ['2024.06.03-15.42.50.363779 kernel ERROR parity fixed', 'error', 'kernel ERROR parity fixed'],
      ['12-01 09:30:00.125   412   430 I ActivityManager: Start proc', undefined, 'I ActivityManager: Start proc'],
      ['[10/Oct/2000:13:55:36 -0700] [notice] child pid 12 exit', 'info', 'child pid 12 exit'],
    ];
    for (const [line, level, message] of cases) {
      const q = auto(line);
      assert.deepEqual([q.level, q.message], [level, message], line);
      assert.ok(q.timestamp !== undefined, line);
    }
  });

  test('plain text without a leading timestamp keeps the whole line and guesses the level', () => {
    const p = auto('connection refused ERROR while dialing 10.0.0.1');
    assert.equal(p.format, 'plain');
    assert.equal(p.level, 'error');
    assert.equal(p.message, 'connection refused ERROR while dialing 10.0.0.1');
    assert.equal(p.timestamp, undefined);
    assert.equal(auto('2024 was a good year').message, '2024 was a good year');
    // Two six-digit numbers that are no yyMMdd HHmmss stamp.
    assert.equal(auto('100000 250000 bytes copied').message, '100000 250000 bytes copied');
    // Shaped like a stamp but no real date or time.
    assert.equal(auto('2024-13-45 10:00:00 moved').message, '2024-13-45 10:00:00 moved');
    assert.equal(auto('12.99 25:61:00 ratio').message, '12.99 25:61:00 ratio');
  });

  test('a line that looks like json but is not stays plain', () => {
    const p = auto('{not json}');
    assert.equal(p.format, 'plain');
  });
});

describe('configured patterns and regexes', () => {
  test('pattern with field map', () => {
    const parse = createLineParser({ format: 'pattern', pattern: '<ip> - - [<ts>] "<method> <path> <_>" <status> <_>', fieldMap: { timestamp: 'ts', route: 'path' } }, () => NOW);
    const p = parse('10.1.1.1 - - [20/Oct/2024:10:00:00 +0000] "GET /health HTTP/1.1" 200 12');
    assert.equal(p.format, 'pattern');
    assert.equal(p.fields.ip, '10.1.1.1');
    assert.equal(p.clientIp, '10.1.1.1');
    assert.equal(p.fields.route, '/health');
    assert.equal(p.fields.status, '200');
    assert.equal(p.timestamp, Date.UTC(2024, 9, 20, 10));
  });

  test('regex with named groups (both syntaxes)', () => {
    const parse = createLineParser({ format: 'regex', regex: '^(?P<lvl>[A-Z]+) \\[(?<req>[^\\]]+)\\] (?P<msg>.*)$', fieldMap: { request_id: 'req', level: 'lvl' } }, () => NOW);
    const p = parse('WARN [req-77] disk almost full');
    assert.equal(p.level, 'warn');
    assert.equal(p.requestId, 'req-77');
    assert.equal(p.message, 'disk almost full');
    assert.equal(parse('nope').format, 'plain');
  });

  test('bad configurations fail at load with the reason', () => {
    assert.throws(() => createLineParser({ format: 'regex', regex: '(?P<x>a' }), (e: unknown) => e instanceof ParserConfigError && /invalid regular expression/.test((e as Error).message));
    assert.throws(() => createLineParser({ format: 'regex', regex: 'abc' }), /no named group/);
    assert.throws(() => createLineParser({ format: 'pattern', pattern: '<a><b>' }), /must be separated/);
    assert.throws(() => compilePattern('no captures'), PatternError);
  });

  test('pattern matching semantics', () => {
    const p = compilePattern('<_> user=<user> took <dur>');
    assert.deepEqual(p.match('x y user=bob took 5ms'), { user: 'bob', dur: '5ms' });
    assert.equal(p.match('user=bob'), null);
    assert.deepEqual(compilePattern('[<lvl>] <msg>').match('[info] hello world'), { lvl: 'info', msg: 'hello world' });
    assert.equal(compilePattern('[<lvl>] <msg>').match('info hello'), null);
  });
});

test('auto-detect a source from sample lines', () => {
  assert.equal(detectSourceFormat(['{"a":1}', '{"b":2}', 'garbage']), 'json');
  assert.equal(detectSourceFormat(['a=1 b=2', 'level=info msg=x']), 'logfmt');
  assert.equal(detectSourceFormat(['127.0.0.1 - - [20/Oct/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl"']), 'combined');
  assert.equal(detectSourceFormat(['hello there', 'free text with x=1']), 'plain');
});

test('timestamps', () => {
  assert.equal(parseTimestamp('1729425600'), 1729425600000);
  assert.equal(parseTimestamp('1729425600.5'), 1729425600500);
  assert.equal(parseTimestamp('1729425600123456789'), 1729425600123);
  assert.equal(parseTimestamp('2024-10-20T12:00:00+02:00'), Date.UTC(2024, 9, 20, 10));
  assert.equal(parseTimestamp('2024-10-20 12:00:00,250'), Date.UTC(2024, 9, 20, 12, 0, 0, 250));
  assert.equal(parseTimestamp('not a time'), undefined);
});

test('a JSON line nested deeper than 100 levels is kept as plain text instead of overflowing the stack', () => {
  const deep = (n: number, inner: string) => `{"msg":"deep","a":${'{"a":'.repeat(n)}${inner}${'}'.repeat(n)}}`;
  assert.equal(auto(deep(50, '1')).fields['a'.repeat(1) + '.a'.repeat(50)], '1');
  for (const line of [deep(20_000, '1'), deep(1, `${'['.repeat(20_000)}${']'.repeat(20_000)}`)]) {
    const p = auto(line);
    assert.notEqual(p.format, 'json');
    assert.equal(p.message, line);
  }
});
