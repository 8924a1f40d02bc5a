import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../model/clock.js';
import { openSqlite } from '../../db/database.js';
import { alertingMigrations } from '../store/migrations.js';
import { SqlSilenceStore } from '../store/sql-silence-store.js';
import { InMemorySilenceStore, Silences } from './silences.js';
import { SilenceError, SilenceNotFoundError, silenceState } from './silence.js';

const T0 = Date.UTC(2026, 2, 1, 12);
const H = 3600_000;
const m = (name: string, value: string, isRegex = false, isEqual = true) => ({ name, value, isRegex, isEqual });

function setup() {
  const clock = new FakeClock(T0);
  let n = 0;
  const store = new InMemorySilenceStore();
  const s = new Silences({ clock, store, newId: () => `id-${++n}` });
  return { clock, s, store };
}

test('states follow the clock: pending, active, expired; expired silences are listed for the retention (120 h) and then forgotten', async () => {
  const { clock, s } = setup();
  const id = await s.set({ matchers: [m('alertname', 'A')], startsAt: T0 + H, endsAt: T0 + 2 * H, createdBy: 'me', comment: 'c' });
  const state = () => silenceState(s.get(id)!, clock.now());
  assert.equal(state(), 'pending');
  assert.deepEqual(s.mutedBy({ fingerprint: 'f', labels: { alertname: 'A' } }, clock.now()), []);
  await clock.advance(H);
  assert.equal(state(), 'active');
  assert.deepEqual(s.mutedBy({ fingerprint: 'f', labels: { alertname: 'A' } }, clock.now()), [id]);
  await clock.advance(H + 1);
  assert.equal(state(), 'expired');
  assert.deepEqual(s.mutedBy({ fingerprint: 'f', labels: { alertname: 'A' } }, clock.now()), []);
  await clock.advance(120 * H - 2);
  assert.equal(s.list().length, 1, 'still listed just inside the retention');
  await clock.advance(2);
  assert.equal(s.list().length, 0);
  assert.equal(s.get(id), undefined);
});

test('matchers: regex and negative, missing labels match as empty', async () => {
  const { clock, s } = setup();
  const id = await s.set({ matchers: [m('service', 'api|web', true), m('env', 'dev', false, false)], startsAt: T0, endsAt: T0 + H, createdBy: 'me', comment: '' });
  const muted = (labels: Record<string, string>) => s.mutedBy({ fingerprint: 'f', labels }, clock.now()).length > 0;
  assert.ok(muted({ service: 'api', env: 'prod' }));
  assert.ok(muted({ service: 'web' }), 'a missing env is "" which is != dev');
  assert.ok(!muted({ service: 'api', env: 'dev' }));
  assert.ok(!muted({ service: 'apix' }), 'regexes are anchored');
  assert.equal(typeof id, 'string');
});

test('update = expire + create unless Alertmanager allows it in place; unknown ids and bad silences are refused with its messages', async () => {
  const { clock, s } = setup();
  const id = await s.set({ matchers: [m('a', 'b')], startsAt: T0, endsAt: T0 + H, createdBy: 'me', comment: 'x' });
  // Same matchers, same start, later end: updated in place.
  assert.equal(await s.set({ id, matchers: [m('a', 'b')], startsAt: T0, endsAt: T0 + 2 * H, createdBy: 'me', comment: 'y' }), id);
  assert.equal(s.get(id)?.comment, 'y');
  await clock.advance(1000);
  // Different matchers: the old one expires now, a new one is created.
  const id2 = await s.set({ id, matchers: [m('a', 'c')], startsAt: T0, endsAt: T0 + 2 * H, createdBy: 'me', comment: 'z' });
  assert.notEqual(id2, id);
  assert.equal(s.get(id)?.endsAt, clock.now());
  assert.equal(s.get(id2)?.startsAt, clock.now(), 'a start in the past becomes now');
  await assert.rejects(s.set({ id: 'nope', matchers: [m('a', 'b')], startsAt: T0, endsAt: T0 + H, createdBy: '', comment: '' }), SilenceNotFoundError);
  await assert.rejects(s.set({ matchers: [], startsAt: T0, endsAt: T0 + H, createdBy: '', comment: '' }), { message: 'at least one matcher required' });
  await assert.rejects(s.set({ matchers: [m('a', '.*', true)], startsAt: T0, endsAt: T0 + H, createdBy: '', comment: '' }), {
    message: 'at least one matcher must not match the empty string',
  });
  // Negative matchers are not weighed (Alertmanager's matchesEmpty): alone they make a silence.
  for (const neg of [[m('a', 'b', false, false)], [m('a', 'x', true, false)], [m('a', '', false, false)], [m('a', '.*', true), m('b', 'c', false, false)]]) {
    const nid = await s.set({ matchers: neg, startsAt: T0, endsAt: T0 + H, createdBy: '', comment: '' });
    await s.expire(nid);
  }
  await assert.rejects(s.set({ matchers: [m('a', '(', true)], startsAt: T0, endsAt: T0 + H, createdBy: '', comment: '' }), /invalid label matcher 0: invalid regular expression/);
  await assert.rejects(s.set({ matchers: [m('1a', 'b')], startsAt: T0, endsAt: T0 + H, createdBy: '', comment: '' }), { message: 'invalid label matcher 0: invalid label name "1a"' });
  await s.expire(id2);
  await clock.advance(1);
  await assert.rejects(s.expire(id2), SilenceError);
  await assert.rejects(s.expire('nope'), { message: 'silence not found' });
});

test('expiring a pending silence sets start and end to now', async () => {
  const { clock, s } = setup();
  const id = await s.set({ matchers: [m('a', 'b')], startsAt: T0 + H, endsAt: T0 + 2 * H, createdBy: '', comment: '' });
  await s.expire(id);
  assert.equal(s.get(id)?.startsAt, clock.now());
  assert.equal(s.get(id)?.endsAt, clock.now());
});

test('silences persist in SQLite: a new process loads them with their state', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-silences-'));
  const clock = new FakeClock(T0);
  try {
    const a = await openSqlite(dir, [alertingMigrations]);
    const s1 = new Silences({ clock, store: new SqlSilenceStore(a.db) });
    await s1.load();
    const id = await s1.set({ matchers: [m('alertname', 'A'), m('job', 'x.*', true, false)], startsAt: T0, endsAt: T0 + H, createdBy: 'me', comment: 'deploy' });
    const gone = await s1.set({ matchers: [m('alertname', 'B')], startsAt: T0, endsAt: T0 + H, createdBy: 'me', comment: '' });
    await s1.expire(gone);
    await a.close();
    const b = await openSqlite(dir, [alertingMigrations]);
    const s2 = new Silences({ clock, store: new SqlSilenceStore(b.db) });
    await s2.load();
    assert.deepEqual(s2.get(id), s1.get(id));
    assert.equal(s2.get(gone)?.endsAt, T0);
    await b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
