import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StringInterner } from './intern.js';

type Generations = { young: Map<string, string>; old: Map<string, string> };

test('interned label values: equal values, the same names in the same order, a new object; an empty set is returned as is', () => {
  const i = new StringInterner(8);
  const a = { description: 'disk usage above 90% on /var', summary: 'x', __proto__x: 'y' };
  const out = i.internValues(a);
  assert.deepEqual(out, a);
  assert.notEqual(out, a);
  assert.deepEqual(Object.keys(out), ['description', 'summary', '__proto__x']);
  const empty = {};
  assert.equal(i.internValues(empty), empty);
  // A label named __proto__ stays an own property.
  const proto = JSON.parse('{"__proto__":"v","a":"b"}') as Record<string, string>;
  const p = i.internValues(proto);
  assert.ok(Object.hasOwn(p, '__proto__'));
  assert.equal(p['__proto__'], 'v');
});

test('the table keeps a string that keeps repeating and holds at most two generations of the others', () => {
  const i = new StringInterner(4);
  const g = i as unknown as Generations;
  for (let n = 0; n < 100; n++) {
    i.intern(`unique-${n}`);
    assert.equal(i.intern('runbook'), 'runbook');
    assert.ok(g.young.has('runbook') || g.old.has('runbook'), `runbook kept after ${n} unique strings`);
    assert.ok(g.young.size <= 4 && g.old.size <= 4);
  }
  // Unseen for two generations: forgotten.
  i.intern('gone');
  for (let n = 0; n < 10; n++) i.intern(`u${n}`);
  assert.ok(!g.young.has('gone') && !g.old.has('gone'));
});
