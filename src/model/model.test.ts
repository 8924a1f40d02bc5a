import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, formatDuration, DurationError } from './duration.js';
import { fingerprint, formatLabels } from './labels.js';
import { FakeClock } from './clock.js';
import { newMatcher, matchesAll } from './matcher.js';
import { isStaleNaN, staleNaN } from './sample.js';

test('durations parse and format as Prometheus writes them', () => {
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1w'), 604_800_000);
  assert.equal(parseDuration('0'), 0);
  assert.throws(() => parseDuration('30'), DurationError);
  assert.throws(() => parseDuration('5m1h'), DurationError);
  assert.throws(() => parseDuration(''), DurationError);
  assert.equal(formatDuration(5_400_000), '1h30m');
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(1500), '1s500ms');
});

/** FNV-1a 64 as written down, with BigInt: what fingerprint() must equal. */
function referenceFingerprint(labels: Record<string, string>): string {
  const enc = new TextEncoder();
  let h = 0xcbf29ce484222325n;
  const add = (bytes: Iterable<number>) => {
    for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  };
  for (const n of Object.keys(labels).sort()) {
    add(enc.encode(n));
    add([0xff]);
    add(enc.encode(labels[n]));
    add([0xff]);
  }
  return h.toString(16).padStart(16, '0');
}

test('fingerprints equal FNV-1a 64 over the UTF-8 of names and values, for ASCII, non-ASCII and lone surrogates', () => {
  assert.equal(fingerprint({ alertname: 'Watchdog' }), referenceFingerprint({ alertname: 'Watchdog' }));
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const alphabet = ['a', 'Z', '0', '_', ' ', '"', '\\', '\u00e9', '\u00ff', '\u4e2d', '\ud83d\ude00', '\ud800', '\udfff', '\u0000', '\u007f', '\u0080'];
  for (let i = 0; i < 300; i++) {
    const labels: Record<string, string> = {};
    for (let k = rnd(5); k >= 0; k--) {
      let v = '';
      for (let j = rnd(12); j > 0; j--) v += alphabet[rnd(alphabet.length)];
      labels[`l${rnd(20)}`] = v;
    }
    assert.equal(fingerprint(labels), referenceFingerprint(labels), JSON.stringify(labels));
  }
});

test('fingerprints are order-independent and match the FNV-1a basis for the empty set', () => {
  assert.equal(fingerprint({}), 'cbf29ce484222325');
  assert.equal(fingerprint({ a: '1', b: '2' }), fingerprint({ b: '2', a: '1' }));
  assert.notEqual(fingerprint({ a: '1', b: '2' }), fingerprint({ a: '12' }));
  assert.equal(fingerprint({ a: '1' }).length, 16);
  assert.equal(formatLabels({ b: 'x"y', a: '1' }), '{a="1", b="x\\"y"}');
});

test('fake clock fires timers in due order only when advanced', async () => {
  const clock = new FakeClock(1000);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('b'), 200);
  const h = clock.setTimeout(() => fired.push('x'), 100);
  clock.setTimeout(() => {
    fired.push('a');
    clock.setTimeout(() => fired.push('c'), 50);
  }, 100);
  clock.clearTimeout(h);
  await clock.advance(99);
  assert.deepEqual(fired, []);
  await clock.advance(200);
  assert.deepEqual(fired, ['a', 'c', 'b']);
  assert.equal(clock.now(), 1299);
});

test('regex matchers are fully anchored RE2', () => {
  const m = newMatcher('=~', 'job', 'api|web');
  assert.ok(m.matches('api'));
  assert.ok(!m.matches('api2'));
  assert.ok(matchesAll([newMatcher('!=', 'env', 'prod')], { job: 'x' }));
  assert.throws(() => newMatcher('=~', 'a', '(?=x)'));
});

test('stale markers are a distinct NaN', () => {
  assert.ok(isStaleNaN(staleNaN()));
  assert.ok(!isStaleNaN(NaN));
});

test('a stale marker that went through a JS array is still recognized', () => {
  const arr: number[] = [];
  arr.push(staleNaN());
  assert.ok(isStaleNaN(arr[0] as number));
  const quiet = new DataView(new ArrayBuffer(8));
  quiet.setBigUint64(0, 0x7ff8000000000002n);
  assert.ok(isStaleNaN(quiet.getFloat64(0)));
  quiet.setBigUint64(0, 0x7ff8000000000001n); // Prometheus's ordinary NaN
  assert.ok(!isStaleNaN(quiet.getFloat64(0)));
});
