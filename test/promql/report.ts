// Ad-hoc report: node --import tsx test/promql/report.ts [file-substring] [--fails]
import { readIndex, runAll } from './runner.js';

const args = process.argv.slice(2);
const filter = args.find((a) => !a.startsWith('--'));
const showFails = args.includes('--fails');
const index = readIndex();
const all = await runAll();
const sel = all.filter((o) => !filter || o.id.includes(filter));
const count = (s: string, xs = sel): number => xs.filter((o) => o.status === s).length;
const must = sel.filter((o) => {
  const r = index.get(o.id);
  return r && r.floatLoose && r.features === '-';
});
console.log(`all: pass ${count('pass')} skip ${count('skip')} fail ${count('fail')} of ${sel.length}`);
console.log(`must-pass: pass ${count('pass', must)} fail ${count('fail', must)} of ${must.length}`);
if (showFails) {
  for (const o of sel.filter((x) => x.status === 'fail')) {
    const r = index.get(o.id);
    console.log(`${o.id} [${r?.features}] ${o.query}\n    ${o.reason?.split('\n').slice(0, 3).join('\n    ')}`);
  }
}
