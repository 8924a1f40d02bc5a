import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimestamp } from './timestamp.js';

// The ISO reading as the regex alone gives it (what parseTimestamp did before its fast path).
const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?\s*(Z|[+-]\d\d:?\d\d)?$/i;
function byRegex(raw: string): number | undefined {
  const s = raw.trim();
  const m = ISO.exec(s);
  if (!m) return undefined;
  const frac = (m[7] ?? '').padEnd(3, '0').slice(0, 3);
  const local = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +frac);
  const tz = m[8] && m[8].toUpperCase() !== 'Z' ? /^([+-])(\d\d):?(\d\d)$/.exec(m[8]) : null;
  const off = tz ? (Number(tz[2]) * 60 + Number(tz[3])) * 60_000 * (tz[1] === '-' ? -1 : 1) : 0;
  return local - off;
}

test('RFC 3339 timestamps read without the regex give what the regex gives, for every variant and near miss', () => {
  let x = 12345;
  const rnd = (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
  const bases = ['2024-10-11T22:14:15', '2024-10-11 22:14:15', '2024-10-11t22:14:15', '0099-13-40T25:61:61', '1970-01-01T00:00:00'];
  const fracs = ['', '.0', '.003', ',250', '.123456789', '.1234567890', '.', ',12'];
  const zones = ['', 'Z', 'z', '+02:00', '-0530', '+2:00', '+02:0', ' Z', '  +01:00', 'ZZ', '+02:00x', '-00:00'];
  const noise = ['', ' ', 'x', '\t'];
  let checked = 0;
  for (const b of bases) {
    for (const f of fracs) {
      for (const z of zones) {
        for (const s of [`${b}${f}${z}`, ` ${b}${f}${z} `]) {
          const expected = byRegex(s);
          if (expected !== undefined) assert.equal(parseTimestamp(s), expected, s);
          else assert.equal(parseTimestamp(s), parseTimestamp(`${s}`), s); // consistent fallbacks
          checked++;
        }
      }
    }
  }
  // Random single-character mutations of valid stamps: either both read it the same or the regex does not read it.
  for (let i = 0; i < 5000; i++) {
    const s0 = `${bases[rnd(bases.length)]}${fracs[rnd(4)]}${zones[rnd(6)]}`;
    const at = rnd(s0.length + 1);
    const s = s0.slice(0, at) + '0123456789-:T .,Zz+x'[rnd(21)] + s0.slice(at + rnd(2)) + noise[rnd(noise.length)];
    const expected = byRegex(s);
    if (expected !== undefined) assert.equal(parseTimestamp(s), expected, s);
    checked++;
  }
  assert.ok(checked > 5000);
  assert.equal(parseTimestamp('2024-10-11T22:14:15.003Z'), Date.UTC(2024, 9, 11, 22, 14, 15, 3));
  assert.equal(parseTimestamp('2024-10-11T22:14:15.1234567890Z'), Date.parse('2024-10-11T22:14:15.1234567890Z') || undefined);
});

test('epoch numbers are read by their count of integer digits', () => {
  assert.equal(parseTimestamp('1729425600'), 1729425600000);
  assert.equal(parseTimestamp('1729425600123'), 1729425600123);
  assert.equal(parseTimestamp('1729425600123.7'), 1729425600124);
  assert.equal(parseTimestamp('1729425600123456'), 1729425600123);
  assert.equal(parseTimestamp('1729425600123456789'), 1729425600123);
});
