// The first load of the UI (what the overview needs) stays small: under 300 KiB of compressed
// JavaScript, the editors and charts in chunks of their own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ensureWebBuilt } from '../helpers/browser.js';

const dist = fileURLToPath(new URL('../../web/dist', import.meta.url));

test('the initial load is under 300 KiB of gzipped JavaScript; editors and charts load later', { timeout: 300_000 }, () => {
  ensureWebBuilt();
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  assert.ok(scripts.length >= 1, 'index.html loads the app');
  // What those import statically is loaded at once too.
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(dist, file), 'utf8');
    for (const m of text.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) visit(`assets/${m[1]}`);
  };
  for (const s of scripts) visit(s);
  const bytes = [...seen].reduce((n, f) => n + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
  assert.ok(bytes < 300 * 1024, `initial JavaScript is ${(bytes / 1024).toFixed(1)} KiB gzipped`);
  for (const f of seen) assert.doesNotMatch(f, /\/(editor|charts)-/, `${f} should load only with the pages that need it`);
  const chunks = readdirSync(join(dist, 'assets'));
  assert.ok(chunks.some((f) => /^editor-.*\.js$/.test(f)) && chunks.some((f) => /^charts-.*\.js$/.test(f)), 'the editor and chart chunks exist');
  console.log(`initial load: ${[...seen].join(', ')} = ${(bytes / 1024).toFixed(1)} KiB gzipped`);
});
