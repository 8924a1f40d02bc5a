import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UNMINED_PATTERN_ID } from './miner-options.js';
import { Miner } from './miner.js';
import { SnapshotError } from './snapshot.js';

describe('Miner.add', () => {
  test('lines of one message share a pattern whose template generalises', () => {
    const m = new Miner();
    const a = m.add('Accepted password for root from 10.0.0.1 port 22 ssh2', 1000);
    assert.equal(a.isNew, true);
    assert.equal(a.template, 'Accepted password for root from <*> port <*> ssh2');
    const b = m.add('Accepted password for root from 10.0.0.2 port 2222 ssh2', 2000);
    assert.equal(b.isNew, false);
    assert.equal(b.patternId, a.patternId);
    assert.equal(m.templateOf(a.patternId), 'Accepted password for root from <*> port <*> ssh2');
  });

  test('two words at a position split patterns; a third makes it a variable and merges them', () => {
    const m = new Miner();
    const a = m.add('Failed password for root from 10.0.0.1 port 22 ssh2');
    const b = m.add('Failed none for root from 10.0.0.2 port 22 ssh2');
    assert.equal(b.isNew, true, 'password/none: two messages');
    assert.notEqual(b.patternId, a.patternId);
    assert.equal(b.template, 'Failed none for root from <*> port <*> ssh2');
    assert.equal(m.templateOf(a.patternId), 'Failed password for root from <*> port <*> ssh2');
    m.add('Failed password for admin from 10.0.0.3 port 22 ssh2');
    const d = m.add('Failed password for guest from 10.0.0.4 port 22 ssh2');
    assert.equal(d.template, 'Failed password for <*> from <*> port <*> ssh2', 'root/admin/guest: a variable');
    assert.equal(m.templateOf(a.patternId), d.template, 'the merged-away id still resolves');
    assert.equal(m.pattern(a.patternId)?.count, 3);
    assert.equal(m.templateOf(b.patternId), 'Failed none for <*> from <*> port <*> ssh2');
    assert.equal(m.size, 2);
  });

  test('different messages get different patterns', () => {
    const m = new Miner();
    const a = m.add('Connection closed by 1.2.3.4 [preauth]');
    const b = m.add('Received disconnect from 1.2.3.4: 11: Bye Bye [preauth]');
    const c = m.add('Received disconnect from 1.2.3.5: 11: disconnected by user');
    assert.notEqual(a.patternId, b.patternId);
    assert.notEqual(b.patternId, c.patternId, 'three differing words out of eight is another message');
    assert.equal(m.size, 3);
  });

  test('partly constant tokens keep their constant part', () => {
    const m = new Miner();
    m.add('session opened for user root by (uid=0)');
    m.add('session opened for user bob by (uid=1)');
    const r = m.add('session opened for user alice by (uid=1000)');
    assert.equal(r.template, 'session opened for user <*> by (uid=<*>)');
    const k = new Miner();
    k.add('login failed; user=root tty=ssh');
    assert.equal(k.add('login failed; user=admin tty=ssh').template, 'login failed; user=<*> tty=ssh');
  });

  test('empty lines form their own pattern', () => {
    const m = new Miner();
    const r = m.add('   ');
    assert.equal(r.template, '');
    assert.equal(m.add('').patternId, r.patternId);
  });

  test('a custom preprocess runs before tokenising', () => {
    const m = new Miner({ preprocess: (s) => s.replace(/user \w+/, 'user <*>') });
    assert.equal(m.add('hello user bob').template, 'hello user <*>');
  });

  test('bad options fail at construction with the option named', () => {
    assert.throws(() => new Miner({ similarity: 2 }), /similarity/);
    assert.throws(() => new Miner({ depth: 2 }), /depth/);
    assert.throws(() => new Miner({ maxPatterns: 0 }), /maxPatterns/);
  });
});

describe('Miner.patterns', () => {
  test('counts, first/last seen, bounded samples and time buckets', () => {
    const m = new Miner({ maxSamples: 2, bucketMs: 60_000, maxBuckets: 2 });
    const id = m.add('job 1 done in 5 ms', 10_000).patternId;
    m.add('job 2 done in 7 ms', 20_000);
    m.add('job 3 done in 9 ms', 70_000);
    m.add('job 4 done in 9 ms', 130_000);
    m.add('job 5 done in 9 ms', 125_000);
    const p = m.pattern(id);
    assert.ok(p);
    assert.equal(p.template, 'job <*> done in <*> ms');
    assert.equal(p.count, 5);
    assert.equal(p.firstSeen, 10_000);
    assert.equal(p.lastSeen, 130_000);
    assert.deepEqual(p.samples, ['job 1 done in 5 ms', 'job 2 done in 7 ms']);
    assert.deepEqual(p.buckets, [[60_000, 1], [120_000, 2]], 'only the most recent buckets are kept');
    assert.deepEqual(m.patterns().map((x) => x.id), [id]);
  });

  test('the lines without a time use the injected clock', () => {
    let now = 5_000;
    const m = new Miner({ now: () => now });
    const id = m.add('tick').patternId;
    now = 9_000;
    m.add('tick');
    assert.equal(m.pattern(id)?.firstSeen, 5_000);
    assert.equal(m.pattern(id)?.lastSeen, 9_000);
  });

  test('memory stays bounded: rare, stale patterns are evicted first', () => {
    const m = new Miner({ maxPatterns: 50 });
    const frequent = m.add('heartbeat ok').patternId;
    let created = 0;
    for (let i = 0; i < 500; i++) {
      // A distinct message per line: unique words, different token counts.
      if (m.add(`w${'x'.repeat(i % 7)}q${i} ${'alpha beta gamma delta '.slice(0, 1 + (i % 20))} z${i}y`).isNew) created++;
      if (i % 10 === 0) m.add('heartbeat ok');
    }
    assert.ok(created > 100, `only ${created} patterns created: the test does not exercise eviction`);
    assert.ok(m.size <= 50, `size ${m.size}`);
    assert.equal(m.pattern(frequent)?.count, 51, 'the frequent pattern survives');
  });
});

/** Lines that share no template: random lower-case words (nothing for masking to find). */
function distinct(n: number, seed: number): string[] {
  let x = seed;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x >>> 8;
  };
  const word = () => Array.from({ length: 3 + (next() % 6) }, () => String.fromCharCode(97 + (next() % 26))).join('');
  return Array.from({ length: n }, (_, i) => Array.from({ length: 5 + (i % 6) }, word).join(' '));
}

describe('work per line stays bounded', () => {
  // The mining machinery itself, without the new-pattern budget (tested below).
  const unbounded = { newPatterns: { burst: Infinity, perSecond: 0 } };

  test('distinct lines are not compared with every earlier cluster', () => {
    // Scanning every cluster of a leaf made this quadratic: ~n/12 comparisons per line here.
    for (const n of [2_000, 8_000]) {
      const m = new Miner(unbounded);
      for (const l of distinct(n, 7)) m.add(l, 0);
      assert.equal(m.size, n, 'every line is its own pattern');
      const { lines, comparisons } = m.stats();
      assert.equal(lines, n);
      assert.ok(comparisons / lines < 0.5, `${comparisons} comparisons for ${lines} lines`);
    }
  });

  test('lines that do join clusters are compared with a bounded number of them', () => {
    const m = new Miner();
    const words = distinct(400, 11);
    // 400 messages (templates), each seen 10 times with a different number.
    for (let round = 0; round < 10; round++) words.forEach((w, i) => m.add(`${w} took ${round * 1000 + i} ms`, 0));
    assert.equal(m.size, 400);
    const { lines, comparisons } = m.stats();
    assert.ok(comparisons / lines < 3, `${comparisons} comparisons for ${lines} lines`);
  });

  test('the pattern bound holds under distinct lines, evicting in rounds of a tenth of it', () => {
    const m = new Miner({ maxPatterns: 1_000, ...unbounded });
    let most = 0;
    for (const l of distinct(20_000, 3)) {
      m.add(l, 0);
      most = Math.max(most, m.size);
    }
    assert.ok(most <= 1_001, `peak ${most} patterns`);
    const { evictions, comparisons, lines } = m.stats();
    // Each round frees 10% of the limit: about (20,000 - 1,000) / 100 rounds, not one per line.
    assert.ok(evictions >= 150 && evictions <= 200, `${evictions} eviction rounds`);
    assert.ok(comparisons / lines < 0.5, `${comparisons} comparisons for ${lines} lines`);
  });
});

describe('new-pattern budget', () => {
  test('past the burst, lines that would make a pattern are not mined; known patterns still match; the budget refills with time', () => {
    let now = 1_000_000;
    const m = new Miner({ now: () => now, newPatterns: { burst: 100, perSecond: 10 } });
    const known = m.add('user alice logged in from 10.0.0.1', now);
    const lines = distinct(1_000, 5);
    const ids = lines.map((l) => m.add(l, now).patternId);
    assert.equal(m.size, 100, 'the known pattern and 99 new ones');
    assert.equal(ids.filter((id) => id === UNMINED_PATTERN_ID).length, 901);
    assert.equal(m.stats().unmined, 901);
    const again = m.add('user alice logged in from 10.0.0.2', now);
    assert.equal(again.patternId, known.patternId, 'a line of a known pattern is mined as ever');
    assert.equal(m.pattern(known.patternId)?.count, 2);
    now += 10_000; // 10 s at 10/s: 100 more
    const later = distinct(1_000, 6).map((l) => m.add(l, now));
    assert.equal(later.filter((r) => r.isNew).length, 100);
    assert.equal(m.size, 200);
  });
});

describe('snapshot and restore', () => {
  test('a restored miner continues exactly where the original left off', () => {
    const lines = [
      'Accepted password for root from 10.0.0.1 port 22 ssh2',
      'Failed password for admin from 10.0.0.2 port 22 ssh2',
      'Failed none for admin from 10.0.0.2 port 22 ssh2',
      'Accepted password for bob from 10.0.0.3 port 2222 ssh2',
      'Accepted password for eve from 10.0.0.3 port 2222 ssh2',
      'Connection closed by 10.0.0.9 [preauth]',
    ];
    const more = [
      'Failed password for carol from 10.0.0.4 port 22 ssh2',
      'Failed password for dave from 10.0.0.4 port 22 ssh2',
      'Connection closed by 10.0.0.7 [preauth]',
      'brand new message',
    ];
    const a = new Miner();
    for (const l of lines) a.add(l, 1);
    const restored = Miner.restore(JSON.parse(JSON.stringify(a.snapshot())));
    assert.ok(a.snapshot().clusters.some((c) => c.tracked.length > 0), 'the snapshot carries split state');
    assert.deepEqual(restored.patterns(), a.patterns());
    for (const l of more) assert.deepEqual(restored.add(l, 2), a.add(l, 2));
    assert.deepEqual(restored.snapshot(), a.snapshot());
  });

  test('a corrupt snapshot is rejected with the path of the problem', () => {
    const good = (() => {
      const m = new Miner();
      m.add('hello big world 1');
      m.add('hello big earth 2');
      return JSON.parse(JSON.stringify(m.snapshot()));
    })();
    assert.throws(() => Miner.restore(null), SnapshotError);
    assert.throws(() => Miner.restore({ ...good, version: 2 }), /snapshot.version/);
    const bad = structuredClone(good);
    bad.clusters[0].patterns[0].count = 'many';
    assert.throws(() => Miner.restore(bad), /snapshot\.clusters\[0\]\.patterns\[0\]\.count/);
    const dup = structuredClone(good);
    dup.clusters[0].patterns.push(dup.clusters[0].patterns[0]);
    assert.throws(() => Miner.restore(dup), /snapshot\.clusters\[0\]\.patterns\[2\]\.id: duplicate id/);
    const pos = structuredClone(good);
    pos.clusters[0].tracked[0][0] = 99;
    assert.throws(() => Miner.restore(pos), /tracked\[0\]\[0\]: not a token position/);
    assert.throws(() => Miner.restore({ ...good, settings: { ...good.settings, depth: 1 } }), /depth/);
  });
});
