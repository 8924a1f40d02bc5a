import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newMatcher } from '../model/matcher.js';
import { staleNaN } from '../model/sample.js';
import type { StorageSeries } from '../storage/querier.js';
import { rng } from '../../test/helpers/rng.js';
import { floatBits } from './bytes.js';
import { Head } from './head.js';
import { TsdbQuerier } from './querier.js';

const HOUR = 3_600_000;
const M = newMatcher('=', '__name__', 'm');

async function select(head: Head, start: number, end: number, latest: boolean): Promise<readonly StorageSeries[]> {
  const q = new TsdbQuerier(head, [], start, end);
  try {
    return await q.select([M], { start, end, ...(latest ? { latest } : {}) });
  } finally {
    q.close();
  }
}

/** Each series' newest sample as [labels, t, value bits]: the only thing an instant selector reads. */
function newest(got: readonly StorageSeries[]): Array<[string, number, string]> {
  return got.map((s) => {
    const i = s.timestamps.length - 1;
    const v = Float64Array.of(s.values[i] as number);
    return [JSON.stringify(s.labels), s.timestamps[i] as number, Buffer.from(v.buffer).toString('hex')];
  });
}

test('select with the latest hint returns each series\' newest sample in range, as a full select ends with', async () => {
  const head = new Head(2 * HOUR);
  const series = ['a', 'b', 'c', 'd'].map((id) => head.getOrCreate({ __name__: 'm', id }));
  const r = rng(7);
  const b = new Uint32Array(2);
  let t = 1_767_225_600_000 + 13_000;
  let checked = 0;
  for (let round = 0; round < 1500; round++) {
    t += 1000 + (r() < 0.1 ? Math.floor(r() * 30_000) : 0);
    for (const [i, s] of series.entries()) {
      if (i === 3 && round % 400 >= 200) continue; // a gap longer than the lookback
      floatBits(r() < 0.05 ? staleNaN() : Math.round(r() * 1e4) / 16, b);
      assert.equal(head.check(s, t, b[0] as number, b[1] as number), 'ok');
      head.append(s, t, b[0] as number, b[1] as number);
    }
    if (round % 7 !== 0) continue;
    // An instant selector's window at "now" and at a time in the past (inside older chunks).
    for (const end of [t, t - Math.floor(r() * 400_000)]) {
      const start = end - 300_000 + 1;
      const full = await select(head, start, end, false);
      const latest = await select(head, start, end, true);
      for (const s of latest) assert.equal(s.timestamps.length, 1);
      assert.deepEqual(newest(latest), newest(full), `window ending ${end}`);
      checked++;
    }
  }
  assert.ok(checked > 400);
});
