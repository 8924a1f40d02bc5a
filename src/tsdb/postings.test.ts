import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Labels } from '../model/labels.js';
import { newMatcher, type Matcher, type MatchType } from '../model/matcher.js';
import { MemoryQueryable } from '../storage/memory.js';
import type { Queryable } from '../storage/querier.js';
import { Tsdb } from './index.js';
import { intersect, subtract, union } from './postings.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const u = (...xs: number[]): Uint32Array => new Uint32Array(xs);

describe('postings lists', () => {
  test('intersect, subtract and union keep ascending order without duplicates', () => {
    assert.deepEqual([...intersect(u(1, 3, 5, 7), u(2, 3, 7, 9))], [3, 7]);
    assert.deepEqual([...subtract(u(1, 3, 5, 7), u(3, 4, 7))], [1, 5]);
    assert.deepEqual([...union([u(5, 9), u(1, 5), u(2)])], [1, 2, 5, 9]);
    assert.deepEqual([...union([])], []);
  });
});

const SERIES: Labels[] = [];
for (const job of ['api', 'db', 'web']) {
  for (let i = 0; i < 4; i++) {
    const l: Record<string, string> = { __name__: i % 2 ? 'up' : 'http_requests_total', job, instance: `host-${i}:9100` };
    if (i === 1) l['env'] = 'prod';
    if (i === 2) l['env'] = '';
    if (i === 3) l['env'] = 'staging';
    SERIES.push(l);
  }
}

const CASES: Array<Array<[MatchType, string, string]>> = [
  [['=', '__name__', 'up']],
  [['=', '__name__', 'up'], ['=', 'job', 'db']],
  [['!=', 'job', 'db']],
  [['=~', 'job', 'a.*|w.b']],
  [['=~', 'job', 'p']], // anchored: matches nothing
  [['!~', 'instance', 'host-[01].*']],
  [['=', 'env', '']], // label absent
  [['!=', 'env', '']], // label present
  [['=~', 'env', 'prod|']], // prod or absent
  [['!~', 'env', '.+']],
  [['=', 'missing', '']],
  [['=', 'missing', 'x']],
  [['=~', '__name__', '.*'], ['!=', 'env', 'prod'], ['=~', 'job', 'api|web']],
  [['=', '__name__', 'http_requests_total'], ['!~', 'env', 'staging']],
];

function key(l: Labels): string {
  return JSON.stringify(Object.entries(l).sort());
}

async function selectKeys(q: Queryable, ms: Matcher[]): Promise<string[]> {
  const querier = await q.querier(0, 100_000);
  const out = await querier.select(ms, { start: 0, end: 100_000 });
  const names = await querier.labelValues('job', ms);
  querier.close();
  return [...out.map((s) => key(s.labels)).sort(), `jobs:${names.join(',')}`];
}

describe('postings for matchers', () => {
  test('select agrees with the reference in-memory store for =, !=, =~, !~ and empty values, in head and block', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-tsdb-'));
    dirs.push(dir);
    const db = await Tsdb.open(dir, { blockRangeMs: 10_000, compactIntervalMs: 0 });
    const mem = new MemoryQueryable();
    const app = db.appender();
    for (const l of SERIES) {
      for (let t = 1000; t <= 20_000; t += 1000) {
        app.append(l, t, t);
        mem.add(l, t, t);
      }
    }
    await app.commit();
    const check = async (where: string): Promise<void> => {
      for (const c of CASES) {
        const ms = c.map(([t, n, v]) => newMatcher(t, n, v));
        assert.deepEqual(await selectKeys(db, ms), await selectKeys(mem, ms), `${where}: ${JSON.stringify(c)}`);
      }
    };
    await check('head');
    await db.compact();
    assert.equal(db.stats().blocks, 1);
    await check('block + head');
    await db.close();
  });
});
