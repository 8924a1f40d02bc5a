import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../model/clock.js';
import { isBroken, nextChange, startShopApi } from './shop-api.js';

const plan = { firstBreakAfter: 20_000, outage: 40_000, healthy: 80_000 };

test('outage plan: healthy, broken, healthy, broken again', () => {
  assert.equal(isBroken(plan, 19_999), false);
  assert.equal(isBroken(plan, 20_000), true);
  assert.equal(isBroken(plan, 59_999), true);
  assert.equal(isBroken(plan, 60_000), false);
  assert.equal(isBroken(plan, 140_000), true);
  assert.deepEqual(nextChange(plan, 0), { at: 20_000, breaks: true });
  assert.deepEqual(nextChange(plan, 25_000), { at: 60_000, breaks: false });
  assert.deepEqual(nextChange(plan, 61_000), { at: 140_000, breaks: true });
});

test('the demo service answers 503 during an outage and 200 otherwise', async () => {
  const clock = new FakeClock(0);
  const svc = await startShopApi(clock, plan);
  try {
    let r = await fetch(svc.httpUrl);
    assert.equal(r.status, 200);
    assert.equal((await r.text()).trim(), 'ok');
    await clock.advance(21_000);
    r = await fetch(svc.httpUrl);
    assert.equal(r.status, 503);
    assert.match(await r.text(), /database connection failed/);
  } finally {
    await svc.close();
  }
});
