import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LeafIndex } from './leaf-index.js';
import type { Indexable } from './leaf-index.js';
import { minAgreement } from './miner.js';
import { ALL_RULES } from './rules.js';
import { similarity } from './template-merge.js';

interface C extends Indexable {
  tokens: string[];
  tracked: Map<number, Map<string, number> | null>;
  name: number;
}

function rng(seed: number): (k: number) => number {
  let x = seed;
  return (k) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % k;
  };
}

// Literal words, masked values, partly-constant tokens (`(<*>)`, `user=<*>`, `<*>,`) and words they cover,
// keys with values and numbered names.
const VOCAB = ['a', 'b', 'c', 'dd', '<*>', '(<*>)', '(x)', '(yy)', 'user=<*>', 'user=bob', 'user=al', 'user=', '<*>,', 'q,', 'zz,', 'u', 'eth0', 'eth12', 'f(x)', 'f(y)'];

function cluster(pick: (k: number) => number, n: number, name: number): C {
  const tokens = Array.from({ length: n }, () => VOCAB[pick(VOCAB.length)] as string);
  const tracked = new Map<number, Map<string, number> | null>();
  if (pick(3) === 0) {
    const i = pick(n);
    tokens[i] = '<*>';
    tracked.set(i, pick(4) === 0 ? null : new Map([[VOCAB[pick(VOCAB.length)] as string, 1], [VOCAB[pick(VOCAB.length)] as string, 1]]));
  }
  return { tokens, tracked, postings: undefined, mark: 0, name };
}

function agrees(c: C, line: readonly string[], st: number): boolean {
  const known = (i: number, s: string) => {
    const w = c.tracked.get(i);
    return w !== undefined && w !== null && w.has(s);
  };
  return similarity(c.tokens, line, known, ALL_RULES) >= st;
}

describe('LeafIndex', () => {
  test('candidates include every cluster that reaches the threshold (random clusters, lines, thresholds)', () => {
    const pick = rng(12345);
    let narrowed = 0;
    for (let round = 0; round < 60; round++) {
      const n = 2 + pick(7);
      const index = new LeafIndex<C>(n);
      const clusters: C[] = [];
      for (let k = 0; k < 40; k++) {
        const c = cluster(pick, n, k);
        clusters.push(c);
        index.add(c);
      }
      // Some clusters change (template generalised, split words learned) or leave.
      for (let k = 0; k < 10; k++) {
        const c = clusters[pick(clusters.length)] as C;
        c.tokens[pick(n)] = VOCAB[pick(VOCAB.length)] as string;
        index.update(c);
      }
      for (let k = 0; k < 5; k++) index.remove(clusters.splice(pick(clusters.length), 1)[0] as C);
      for (let q = 0; q < 40; q++) {
        const line = Array.from({ length: n }, () => VOCAB[pick(VOCAB.length)] as string);
        for (const st of [0.4, 0.5, 0.75, 0.9, 1]) {
          const got = index.candidates(line, minAgreement(n, st), Infinity);
          if (got === undefined) continue;
          narrowed++;
          const set = new Set(got);
          assert.equal(set.size, got.length, 'no duplicates');
          for (const c of clusters) {
            if (agrees(c, line, st)) assert.ok(set.has(c), `cluster ${c.tokens.join(' ')} (tracked ${JSON.stringify([...c.tracked])}) missing for ${line.join(' ')} at ${st}`);
          }
          for (const c of got) assert.ok(clusters.includes(c), 'a removed cluster came back');
        }
      }
    }
    assert.ok(narrowed > 5_000, `the index narrowed only ${narrowed} lookups`);
  });

  test('minAgreement is the least count whose share reaches the threshold', () => {
    for (let n = 1; n <= 40; n++) {
      for (const st of [0, 0.2, 0.39, 0.5, 0.6, 0.75, 0.8, 0.9, 1]) {
        const m = minAgreement(n, st);
        assert.ok(m / n >= st, `${m}/${n} < ${st}`);
        assert.ok(m === 0 || (m - 1) / n < st, `${m - 1}/${n} already reaches ${st}`);
      }
    }
  });
});
