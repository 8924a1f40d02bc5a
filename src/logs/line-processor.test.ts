import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LineProcessor, serviceOf } from './line-processor.js';
import { Redactor } from './redact.js';

const T = 1_700_000_000_000;

describe('LineProcessor', () => {
  test('redacts before parsing, keeps canonical fields, mines the parsed message per service', () => {
    const p = new LineProcessor({ redactor: new Redactor() });
    const { inputs, meta } = p.process([
      { labels: { service: 'api' }, t: T, line: '{"level":"error","msg":"login failed for user 17","request_id":"r-1","password":"hunter2"}' },
      { labels: { service: 'api' }, t: T + 1, line: '{"level":"error","msg":"login failed for user 42","request_id":"r-2","password":"s3cret"}' },
      { labels: { job: 'worker', level: 'info' }, t: T + 2, ns: 5, line: 'level=error msg=done token=abc', fields: { pod: 'p1' } },
    ]);
    assert.doesNotMatch(inputs[0]!.line, /hunter2/);
    assert.doesNotMatch(inputs[1]!.line, /s3cret/);
    assert.deepEqual(inputs[0]!.fields, { level: 'error', request_id: 'r-1' });
    assert.deepEqual(inputs[0]!.labels, { service: 'api' });
    // The shipper's level label wins over the parsed one; its metadata is kept; ns passes through.
    assert.deepEqual(inputs[2]!.fields, { pod: 'p1' });
    assert.equal(inputs[2]!.ns, 5);
    assert.deepEqual(
      meta.map((m) => [m.service, m.level, m.message]),
      [
        ['api', 'error', 'login failed for user 17'],
        ['api', 'error', 'login failed for user 42'],
        ['worker', 'info', 'done'],
      ],
    );
    // Mining sees the message, not the JSON around it: both lines share one template.
    assert.equal(meta[0]!.patternId, meta[1]!.patternId);
    assert.match(meta[1]!.template, /^login failed for user <\*>$/);
    assert.deepEqual(p.patterns('api').map((x) => [x.service, x.count]), [['api', 2]]);
    assert.deepEqual(p.patterns().map((x) => x.service).sort(), ['api', 'worker']);
  });

  test('mining off: no patterns; no redactor: text unchanged', () => {
    const p = new LineProcessor({ mining: false });
    const { inputs, meta } = p.process([{ labels: {}, t: T, line: 'password=hunter2 msg=x' }]);
    assert.equal(inputs[0]!.line, 'password=hunter2 msg=x');
    assert.deepEqual([meta[0]!.service, meta[0]!.patternId, meta[0]!.template], ['unknown', '', '']);
    assert.deepEqual(p.patterns(), []);
  });

  test('snapshot and restore keep pattern ids; an unreadable snapshot changes nothing', () => {
    const a = new LineProcessor();
    const first = a.process([{ labels: { service: 's' }, t: T, line: 'cache miss for key 1' }, { labels: { service: 's' }, t: T + 1, line: 'cache miss for key 2' }]);
    const b = new LineProcessor();
    b.restore(JSON.parse(JSON.stringify(a.snapshot())) as Record<string, unknown>);
    const again = b.process([{ labels: { service: 's' }, t: T + 2, line: 'cache miss for key 3' }]);
    assert.equal(again.meta[0]!.patternId, first.meta[1]!.patternId);
    assert.throws(() => b.restore({ s: { nonsense: true } }));
    assert.equal(b.patterns('s')[0]!.count, 3);
  });

  test('services beyond maxMiners share one miner', () => {
    const p = new LineProcessor({ maxMiners: 2 });
    p.process(['a', 'b', 'c', 'd'].map((s, i) => ({ labels: { service: s }, t: T + i, line: `hello ${s}` })));
    assert.deepEqual([...new Set(p.patterns().map((x) => x.service))].sort(), ['__other__', 'a', 'b']);
  });

  test('service: the service label, then service_name, then the parsed field, then job', () => {
    assert.equal(serviceOf({ service: 'a', service_name: 'b', job: 'c' }, { service: 'd' }), 'a');
    assert.equal(serviceOf({ service_name: 'b', job: 'c' }, { service: 'd' }), 'b');
    assert.equal(serviceOf({ job: 'c' }, { service: 'd' }), 'd');
    assert.equal(serviceOf({ job: 'c' }, {}), 'c');
    assert.equal(serviceOf({}, {}), 'unknown');
    const p = new LineProcessor({ mining: false });
    const { meta } = p.process([{ labels: { service_name: 'db' }, t: 1, line: 'x', fields: { level: 'fatal' } }]);
    assert.deepEqual([meta[0]!.service, meta[0]!.level], ['db', 'fatal']);
  });
});
