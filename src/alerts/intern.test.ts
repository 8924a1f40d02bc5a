import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StringInterner } from './intern.js';

type Slots = { slots: Array<string | undefined> };

test('interned label values: equal values, the same names in the same order, a new object; an empty set is returned as is', () => {
  const i = new StringInterner(8);
  const a = { description: 'disk usage above 90% on /var', summary: 'x', other: 'y' };
  const out = i.internValues(a);
  assert.deepEqual(out, a);
  assert.notEqual(out, a);
  assert.deepEqual(Object.keys(out), ['description', 'summary', 'other']);
  const empty = {};
  assert.equal(i.internValues(empty), empty);
  // A label named __proto__ stays an own property.
  const proto = JSON.parse('{"__proto__":"v","a":"b"}') as Record<string, string>;
  const p = i.internValues(proto);
  assert.ok(Object.hasOwn(p, '__proto__'));
  assert.equal(p['__proto__'], 'v');
});

test('a string that keeps repeating keeps its slot among strings that never repeat; the table never grows', () => {
  const i = new StringInterner(4096);
  const slots = (i as unknown as Slots).slots;
  const url = 'http://prometheus.example.com/graph?g0.expr=node_filesystem_avail_bytes%20%3C%200.1';
  i.intern(url);
  let lost = 0;
  for (let n = 0; n < 10_000; n++) {
    i.intern(`http://prometheus.example.com/graph?g0.expr=up%7Bi%3D%22${n}%22%7D`);
    i.intern(`bench alert ${n}`);
    assert.equal(i.intern(url), url);
    if (!slots.includes(url)) lost++;
  }
  assert.equal(lost, 0, 'the repeating string is put back at once when another took its slot');
  assert.equal(slots.length, 4096);
  // Long strings that differ only in the middle still spread over the slots.
  const many = new StringInterner(1024);
  for (let n = 0; n < 1024; n++) many.intern(`${'a'.repeat(40)}${n}${'b'.repeat(40)}`);
  const used = (many as unknown as Slots).slots.filter((s) => s !== undefined).length;
  assert.ok(used < 1024 && used > 300, `slots used: ${used}`);
  assert.throws(() => new StringInterner(1000), /power of two/);
});
