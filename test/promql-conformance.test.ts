import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CONFORMANCE_DIR, readIndex, runAll } from './promql/runner.js';
import { conformanceSkip } from './helpers/conformance.js';

// Runs Prometheus's own PromQL scripts (promqltest testdata) against our engine. Fails when an
// eval listed in the committed baseline regresses; new passes are reported so the baseline can
// be raised with `node --import tsx test/promql/update-baseline.ts`.
const skip = conformanceSkip({
  suite: 'PromQL conformance',
  dir: CONFORMANCE_DIR,
  envVar: 'PROMQL_CONFORMANCE_DIR',
  needs: ['eval-index.tsv', 'testdata'],
  source: "Prometheus's own promqltest scripts (promql/promqltest/testdata) with an index of their evals (eval-index.tsv)",
});

test('PromQL conformance: upstream promqltest scripts', { skip }, async () => {
  const baseline = readFileSync(new URL('./promql/baseline-passing.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const outcomes = await runAll();
  const index = readIndex();
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  const count = (s: string, xs = outcomes): number => xs.filter((o) => o.status === s).length;
  const must = outcomes.filter((o) => {
    const r = index.get(o.id);
    return r !== undefined && r.floatLoose && r.features === '-';
  });
  console.log(`promql conformance: ${count('pass')} passed, ${count('skip')} skipped, ${count('fail')} failed of ${outcomes.length}`);
  console.log(`  float evals without non-default features: ${count('pass', must)} of ${must.length} passed`);
  const skipReasons = new Map<string, number>();
  for (const o of outcomes) if (o.status === 'skip') skipReasons.set(o.reason ?? '', (skipReasons.get(o.reason ?? '') ?? 0) + 1);
  for (const [reason, n] of skipReasons) console.log(`  skipped ${n}: ${reason}`);
  const regressions = baseline.filter((id) => byId.get(id)?.status !== 'pass');
  const newPasses = outcomes.filter((o) => o.status === 'pass' && !baseline.includes(o.id)).length;
  if (newPasses > 0) console.log(`  ${newPasses} evals pass that are not in the baseline yet`);
  const detail = regressions
    .slice(0, 20)
    .map((id) => {
      const o = byId.get(id);
      return `${id}: ${o ? `${o.query}\n    ${o.reason ?? o.status}` : 'eval no longer exists'}`;
    })
    .join('\n');
  assert.equal(regressions.length, 0, `${regressions.length} baseline evals no longer pass:\n${detail}`);
  assert.ok(outcomes.length === index.size, `runner saw ${outcomes.length} evals, index lists ${index.size}`);
});
