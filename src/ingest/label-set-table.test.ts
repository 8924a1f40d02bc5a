import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashBytes, LabelSetTable } from './label-set-table.js';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

test('keys added as latin1 strings are found from bytes inside a larger buffer and as strings', () => {
  const t = new LabelSetTable<number>();
  const keys = Array.from({ length: 5000 }, (_, i) => `\n\x08__name__\x12m${i % 7}\x0a\xffé${i}`);
  keys.forEach((k, i) => t.addLatin1(k, i)); // grows entries, slots and the arena several times
  assert.equal(t.size, keys.length);
  keys.forEach((k, i) => {
    const buf = latin1(`xx${k}yy`);
    assert.equal(t.get(buf, 2, buf.length - 2), i, k);
    assert.equal(t.getLatin1(k), i);
  });
  const miss = latin1('__name__m0-not-there');
  assert.equal(t.get(miss, 0, miss.length), undefined);
  assert.equal(t.getLatin1(''), undefined);
  // A prefix of a stored key, and the same length with one byte changed, are different keys.
  const k0 = latin1(keys[0] as string);
  assert.equal(t.get(k0, 0, k0.length - 1), undefined);
  const changed = Buffer.from(k0);
  changed[changed.length - 1] = 0x39;
  assert.ok(!keys.includes(changed.toString('latin1')));
  assert.equal(t.get(changed, 0, changed.length), undefined);
});

test('keys with the same hash are told apart by their bytes', () => {
  // Search a small space for two distinct keys with equal FNV-1a hashes modulo the slot mask,
  // so they probe the same slot; then check both are found with their own value.
  const t = new LabelSetTable<string>();
  const seen = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; pair === undefined; i++) {
    const k = `k${i}`;
    const b = latin1(k);
    const slot = hashBytes(b, 0, b.length) & 1023;
    const other = seen.get(slot);
    if (other !== undefined) pair = [other, k];
    else seen.set(slot, k);
  }
  t.addLatin1(pair[0], pair[0]);
  t.addLatin1(pair[1], pair[1]);
  for (const k of pair) {
    const b = latin1(k);
    assert.equal(t.get(b, 0, b.length), k);
  }
});
