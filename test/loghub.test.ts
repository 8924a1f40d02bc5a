// Loghub-2k conformance of the template miner, Vigil defaults (only the log format given),
// scored from the CLI's --jsonl output exactly as a user would produce it. Floors sit just
// under the scores achieved when they were committed: a regression fails here. Scores and
// how to reproduce them: docs/log-patterns.md, bench/loghub-score.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { logsPatternsCommand } from '../src/cli/logs-patterns.js';
import { DATASETS, LOGHUB_DIR, loadDataset, score } from '../bench/loghub-score.js';
import { conformanceSkip } from './helpers/conformance.js';

const FLOORS: Record<string, { ga: number; pa: number }> = {
  HDFS: { ga: 0.999, pa: 0.999 },
  Hadoop: { ga: 0.985, pa: 0.885 },
  Spark: { ga: 0.995, pa: 0.99 },
  Zookeeper: { ga: 0.985, pa: 0.665 },
  OpenSSH: { ga: 0.995, pa: 0.99 },
  Apache: { ga: 0.999, pa: 0.999 },
  Linux: { ga: 0.935, pa: 0.915 },
  HealthApp: { ga: 0.995, pa: 0.865 },
};
const AVERAGE_FLOOR = { ga: 0.95, pa: 0.8 };

const skip = conformanceSkip({
  suite: 'Loghub-2k',
  dir: LOGHUB_DIR,
  envVar: 'LOGHUB_DIR',
  needs: DATASETS.map((d) => d.name),
  source: 'the Loghub-2k samples with their ground-truth templates (logpai/logparser, loghub_2k_corrected)',
});

describe('Loghub-2k, default settings', { skip }, () => {
  const results: { ga: number; pa: number }[] = [];
  for (const spec of DATASETS) {
    test(spec.name, async () => {
      const ds = loadDataset(spec);
      let out = '';
      const io = { stdout: (t: string) => (out += t), stderr: () => {}, env: {} };
      const file = join(LOGHUB_DIR, spec.name, `${spec.name}_2k.log`);
      assert.equal(await logsPatternsCommand.run([file, '--log-format', spec.format, '--jsonl'], io), 0);
      const rows = out.trimEnd().split('\n').map((l) => JSON.parse(l) as { line: number; pattern: string; template: string });
      // The jsonl contract: one object per input line, in input order, numbered 1..N.
      assert.equal(rows.length, ds.lines.length);
      rows.forEach((r, i) => {
        assert.equal(r.line, i + 1);
        assert.equal(typeof r.pattern, 'string');
        assert.equal(typeof r.template, 'string');
      });
      const s = score(ds.truth, rows.map((r) => r.template));
      results.push(s);
      const floor = FLOORS[spec.name] as { ga: number; pa: number };
      assert.ok(s.ga >= floor.ga, `${spec.name} GA ${s.ga} fell below ${floor.ga}`);
      assert.ok(s.pa >= floor.pa, `${spec.name} PA ${s.pa} fell below ${floor.pa}`);
    });
  }
  test('averages meet the targets', () => {
    assert.equal(results.length, DATASETS.length);
    const avg = (k: 'ga' | 'pa') => results.reduce((a, r) => a + r[k], 0) / results.length;
    assert.ok(avg('ga') >= AVERAGE_FLOOR.ga, `average GA ${avg('ga')}`);
    assert.ok(avg('pa') >= AVERAGE_FLOOR.pa, `average PA ${avg('pa')}`);
  });
});
