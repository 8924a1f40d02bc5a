import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandGlob, globToRegExp } from './glob.js';

describe('globToRegExp', () => {
  test('*, ?, ** and classes', () => {
    const m = (g: string, p: string) => globToRegExp(g).test(p);
    assert.ok(m('/var/log/*.log', '/var/log/app.log'));
    assert.ok(!m('/var/log/*.log', '/var/log/nginx/app.log'));
    assert.ok(m('/var/log/**/*.log', '/var/log/app.log'));
    assert.ok(m('/var/log/**/*.log', '/var/log/a/b/app.log'));
    assert.ok(m('/var/log/app.?', '/var/log/app.1'));
    assert.ok(!m('/var/log/app.?', '/var/log/app.10'));
    assert.ok(m('/x/[ab].log', '/x/a.log'));
    assert.ok(!m('/x/[!ab].log', '/x/a.log'));
    assert.ok(m('/x/a+b(1).log', '/x/a+b(1).log'));
  });
});

describe('expandGlob', () => {
  test('walks below the literal prefix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-glob-'));
    try {
      await mkdir(join(dir, 'a', 'b'), { recursive: true });
      for (const f of ['x.log', 'y.txt', 'a/z.log', 'a/b/w.log']) await writeFile(join(dir, f), '');
      assert.deepEqual(await expandGlob(`${dir}/*.log`), [join(dir, 'x.log')]);
      assert.deepEqual(await expandGlob(`${dir}/**/*.log`), [join(dir, 'a/b/w.log'), join(dir, 'a/z.log'), join(dir, 'x.log')]);
      assert.deepEqual(await expandGlob(`${dir}/nope/*.log`), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
