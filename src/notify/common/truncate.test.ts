import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncateBytes, truncateRunes } from './truncate.js';

test('runes: kept when short, cut with … when long, never split a code point', () => {
  assert.deepEqual(truncateRunes('abc', 3), { text: 'abc', truncated: false });
  assert.deepEqual(truncateRunes('abcdef', 5), { text: 'abcd…', truncated: true });
  assert.deepEqual(truncateRunes('😀😀😀😀😀', 4), { text: '😀😀😀…', truncated: true });
  assert.deepEqual(truncateRunes('abcdef', 2), { text: 'ab', truncated: true });
});

test('bytes: the result fits in n UTF-8 bytes, marker included', () => {
  assert.deepEqual(truncateBytes('abc', 3), { text: 'abc', truncated: false });
  const r = truncateBytes('ééééé', 8); // 10 bytes
  assert.equal(r.truncated, true);
  assert.ok(Buffer.byteLength(r.text) <= 8, r.text);
  assert.equal(r.text, 'éé…');
  assert.deepEqual(truncateBytes('abcdef', 3), { text: '…', truncated: true });
  assert.deepEqual(truncateBytes('abcdef', 2), { text: '..', truncated: true });
});
