import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit } from './group-commit.js';

test('writes queued while one is in flight go together; each caller gets its own results; a failure rejects its batch only', async () => {
  const writes: number[][] = [];
  let fail = false;
  const g = new GroupCommit<number, string>(async (items) => {
    writes.push([...items]);
    await new Promise((r) => setImmediate(r));
    if (fail) throw new Error('disk full');
    return items.map((i) => `#${i}`);
  });
  const a = g.add([1]);
  const b = g.add([2, 3]);
  const c = g.add([4]);
  assert.deepEqual(await Promise.all([a, b, c]), [['#1'], ['#2', '#3'], ['#4']]);
  assert.deepEqual(writes, [[1], [2, 3, 4]], 'the first write goes alone, the others wait and share one');
  fail = true;
  await assert.rejects(g.add([5]), /disk full/);
  fail = false;
  assert.deepEqual(await g.add([6]), ['#6'], 'the writer recovers after a failure');
});
