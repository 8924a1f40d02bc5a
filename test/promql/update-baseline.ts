// Rewrites test/promql/baseline-passing.txt from the evals that pass now.
// Usage: node --import tsx test/promql/update-baseline.ts
import { writeFileSync } from 'node:fs';
import { runAll } from './runner.js';

const outcomes = await runAll();
const passing = outcomes.filter((o) => o.status === 'pass').map((o) => o.id);
const path = new URL('./baseline-passing.txt', import.meta.url);
writeFileSync(path, `${passing.join('\n')}\n`);
console.log(`baseline: ${passing.length} passing evals written to ${path.pathname}`);
