#!/usr/bin/env node
// Entry point installed as `vigil`. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { process.stderr.write(`vigil: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 1; },
);
