import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteInterner, hashBytes } from './byte-interner.js';

const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

function findOf(t: ByteInterner, s: string, h = hashBytes(bytes(s), 0, bytes(s).length)): number {
  const b = bytes(s);
  return t.find(b, 0, b.length, h);
}
function addOf(t: ByteInterner, s: string, h = hashBytes(bytes(s), 0, bytes(s).length)): number {
  const b = bytes(s);
  return t.add(b, 0, b.length, h);
}

describe('ByteInterner', () => {
  test('numbers byte strings in the order added and finds them by their bytes, anywhere in a buffer', () => {
    const t = new ByteInterner();
    assert.equal(findOf(t, 'job'), -1);
    assert.equal(addOf(t, 'job'), 0);
    assert.equal(addOf(t, ''), 1);
    assert.equal(addOf(t, 'jobs'), 2);
    assert.equal(findOf(t, 'job'), 0);
    assert.equal(findOf(t, ''), 1);
    assert.equal(findOf(t, 'jobs'), 2);
    assert.equal(findOf(t, 'jo'), -1);
    const buf = bytes('xxjobsxx');
    assert.equal(t.find(buf, 2, 6, hashBytes(buf, 2, 6)), 2);
    assert.equal(t.matches(0, buf, 2, 5), true);
    assert.equal(t.matches(0, buf, 2, 6), false);
    assert.equal(t.size, 3);
    assert.equal(t.bytes, 7);
  });

  test('entries whose hashes collide are told apart by their bytes', () => {
    const t = new ByteInterner();
    for (let i = 0; i < 50; i++) assert.equal(addOf(t, `v${i}`, 7), i);
    for (let i = 0; i < 50; i++) assert.equal(findOf(t, `v${i}`, 7), i);
    assert.equal(findOf(t, 'v50', 7), -1);
  });

  test('100,000 entries across many rehashes are all found, and nothing else is', () => {
    const t = new ByteInterner();
    for (let i = 0; i < 100_000; i++) assert.equal(addOf(t, `host-${i}`), i);
    for (let i = 0; i < 100_000; i += 7) assert.equal(findOf(t, `host-${i}`), i);
    for (let i = 100_000; i < 100_100; i++) assert.equal(findOf(t, `host-${i}`), -1);
  });

  test('truncate() forgets the newest entries exactly: the others are still found and the numbers are handed out again', () => {
    const t = new ByteInterner();
    // Colliding hashes, so the entries taken out sit in the probe chains of the ones kept.
    for (let i = 0; i < 20; i++) addOf(t, `a${i}`, i % 3);
    // Enough to rehash in between: the order of filing must stay the order of numbers.
    for (let i = 0; i < 3000; i++) addOf(t, `b${i}`);
    t.truncate(20);
    assert.equal(t.size, 20);
    assert.equal(t.bytes, 10 * 2 + 10 * 3);
    for (let i = 0; i < 20; i++) assert.equal(findOf(t, `a${i}`, i % 3), i);
    for (let i = 0; i < 3000; i += 97) assert.equal(findOf(t, `b${i}`), -1);
    assert.equal(addOf(t, 'c', 1), 20);
    assert.equal(findOf(t, 'c', 1), 20);
    assert.equal(findOf(t, 'a19', 19 % 3), 19);
    t.truncate(0);
    assert.equal(t.size, 0);
    assert.equal(findOf(t, 'a0', 0), -1);
    assert.equal(addOf(t, 'again'), 0);
  });

  test('entries across pages, and one longer than a page, are found and truncated exactly', () => {
    const t = new ByteInterner();
    const long = (i: number): string => `${i}:`.padEnd(1000, 'x');
    for (let i = 0; i < 3000; i++) addOf(t, long(i)); // ~3 pages
    const huge = 'y'.repeat(2 * 1024 * 1024 + 3);
    assert.equal(addOf(t, huge), 3000);
    assert.equal(addOf(t, 'after'), 3001);
    for (let i = 0; i < 3000; i += 13) assert.equal(findOf(t, long(i)), i);
    assert.equal(findOf(t, huge), 3000);
    assert.equal(findOf(t, 'after'), 3001);
    t.truncate(2000);
    assert.equal(t.bytes, 2000 * 1000);
    assert.equal(findOf(t, long(1999)), 1999);
    assert.equal(findOf(t, long(2000)), -1);
    assert.equal(findOf(t, huge), -1);
    assert.equal(addOf(t, 'next'), 2000);
    assert.equal(findOf(t, 'next'), 2000);
    assert.equal(findOf(t, long(1500)), 1500);
  });
});
