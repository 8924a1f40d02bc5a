import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../model/clock.js';
import { DomainError } from '../model/errors.js';
import { openSqlite, type OpenedDatabase } from '../db/database.js';
import { incidentsConfigSchema } from './config.js';
import { IncidentService } from './service.js';
import { FollowUpService, isOverdue } from './followup.js';
import { MemoryIncidentRepo } from './memory-repo.js';
import { MemoryFollowUpRepo } from './memory-followup-repo.js';
import { incidentsMigrations } from './store/migrations.js';
import { SqlIncidentRepo } from './store/sql-incident-repo.js';
import { SqlFollowUpRepo } from './store/sql-followup-repo.js';
import type { FollowUpRepo } from './followup-types.js';
import type { IncidentRepo } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-followup-'));
const opened: OpenedDatabase[] = [];
after(async () => {
  for (const o of opened) await o.close();
  rmSync(dir, { recursive: true, force: true });
});
let n = 0;

const kinds: Array<[string, () => Promise<{ incidents: IncidentRepo; followups: FollowUpRepo }>]> = [
  ['memory', async () => ({ incidents: new MemoryIncidentRepo(), followups: new MemoryFollowUpRepo() })],
  [
    'sqlite',
    async () => {
      const o = await openSqlite(join(dir, `db${n++}`), [incidentsMigrations]);
      opened.push(o);
      return { incidents: new SqlIncidentRepo(o.db), followups: new SqlFollowUpRepo(o.db) };
    },
  ],
];

for (const [name, make] of kinds) {
  describe(`manual incidents, reopen, post-mortems and action items (${name})`, () => {
    const setup = async () => {
      const clock = new FakeClock(Date.UTC(2026, 10, 3, 9, 0, 0));
      const repos = await make();
      const incidents = new IncidentService({ repo: repos.incidents, config: incidentsConfigSchema.parse({}), clock });
      const followups = new FollowUpService({ repo: repos.followups, incidents, clock });
      return { clock, incidents, followups };
    };

    test('a declared incident is acknowledged by its declarer; alerts of its services join it', async () => {
      const { clock, incidents } = await setup();
      const inc = await incidents.declare({ title: ' Checkout slow for EU customers ', severity: 'high', services: ['shop-api', 'shop-api', ' '], summary: 'Support reports timeouts' }, 'alice');
      assert.equal(inc.id, 'INC-2026-0001');
      assert.equal(inc.title, 'Checkout slow for EU customers');
      assert.deepEqual(inc.services, ['shop-api']);
      assert.equal(inc.status, 'acknowledged');
      assert.equal(inc.acknowledgedBy, 'alice');
      await clock.advance(60_000);
      const joined = await incidents.handleAlert({
        kind: 'firing',
        alert: { labels: { alertname: 'Slow', service: 'shop-api', severity: 'critical' }, annotations: {}, startsAt: clock.now(), endsAt: 0, generatorURL: '', updatedAt: clock.now() },
      });
      assert.equal(joined?.id, inc.id);
      assert.equal(joined?.severity, 'critical');
      const d = await incidents.detail(inc.id);
      assert.match(d.timeline[0]?.message ?? '', /^Incident declared by alice \(shop-api\): Support reports timeouts$/);
      await assert.rejects(incidents.declare({ title: '  ', severity: 'low', services: [] }, 'x'), /needs a title/);
    });

    test('reopen: only a resolved incident; back to acknowledged, time to resolve runs again', async () => {
      const { clock, incidents } = await setup();
      const inc = await incidents.declare({ title: 'Disk full', severity: 'critical', services: ['db'] }, 'alice');
      await assert.rejects(incidents.reopen(inc.id, 'bob'), (e: unknown) => e instanceof DomainError && e.kind === 'conflict' && /only a resolved incident/.test(e.message));
      await clock.advance(10 * 60_000);
      await incidents.resolve(inc.id, 'alice');
      await clock.advance(30 * 60_000);
      const again = await incidents.reopen(inc.id, 'bob', 'disk filled again');
      assert.equal(again.status, 'acknowledged');
      assert.equal(again.resolvedAt, null);
      assert.equal(again.acknowledgedBy, 'alice');
      const d = await incidents.detail(inc.id);
      assert.equal(d.sla.time_to_resolve.state, 'pending');
      assert.equal(d.sla.time_to_resolve.actual_ms, null);
      assert.equal(d.sla.time_to_acknowledge.state, 'met');
      const last = d.timeline.at(-1);
      assert.equal(last?.message, 'Reopened by bob: disk filled again');
      assert.deepEqual(last?.data, { from: 'resolved', to: 'acknowledged', reopened: true });
      await clock.advance(60_000);
      assert.equal((await incidents.resolve(inc.id, 'bob')).resolvedBy, 'bob');
    });

    test('the post-mortem starts as the generated draft, is stored on first save and versioned', async () => {
      const { clock, incidents, followups } = await setup();
      const inc = await incidents.declare({ title: 'Payments down', severity: 'critical', services: ['payments'], summary: 'Card payments fail' }, 'alice');
      const draft = await followups.postmortem(inc.id);
      assert.equal(draft.stored, false);
      assert.equal(draft.postmortem.version, 0);
      assert.match(draft.postmortem.sections.summary, /Card payments fail/);
      assert.match(draft.postmortem.sections.root_cause, /To fill/);
      await clock.advance(1000);
      const saved = await followups.savePostmortem(inc.id, { sections: { root_cause: 'An expired API key at the card processor.' }, version: 0 }, 'alice');
      assert.equal(saved.version, 1);
      assert.equal(saved.status, 'draft');
      assert.equal(saved.sections.summary, draft.postmortem.sections.summary, 'unsent sections keep the draft');
      const review = await followups.savePostmortem(inc.id, { status: 'in_review', version: 1 }, 'bob');
      assert.equal(review.sections.root_cause, 'An expired API key at the card processor.');
      await assert.rejects(followups.savePostmortem(inc.id, { sections: { impact: 'stale' }, version: 1 }, 'carol'), (e: unknown) => e instanceof DomainError && e.kind === 'conflict');
      await assert.rejects(followups.savePostmortem(inc.id, { sections: { bogus: 'x' } as never }, 'carol'), /unknown post-mortem section "bogus"/);
      await clock.advance(1000);
      const pub = await followups.savePostmortem(inc.id, { status: 'published' }, 'bob');
      assert.equal(pub.publishedAt, clock.now());
      assert.equal(pub.version, 3);
      const read = await followups.postmortem(inc.id);
      assert.equal(read.stored, true);
      assert.equal(read.postmortem.status, 'published');
      assert.equal(read.postmortem.updatedBy, 'bob');
      const md = await followups.postmortemMarkdown(inc.id);
      assert.match(md, /_Status: published · version 3 · last edited by bob/);
      assert.match(md, /## Root cause\n\nAn expired API key at the card processor\./);
      const timeline = (await incidents.detail(inc.id)).timeline.filter((e) => e.kind === 'postmortem').map((e) => e.message);
      assert.deepEqual(timeline, ['Post-mortem started by alice', 'Post-mortem moved from draft to in review by bob', 'Post-mortem moved from in review to published by bob']);
      await assert.rejects(followups.postmortem('INC-2026-0999'), (e: unknown) => e instanceof DomainError && e.kind === 'not_found');
    });

    test('action items: added, filtered across incidents, moved to done, overdue by due day', async () => {
      const { clock, incidents, followups } = await setup();
      const a = await incidents.declare({ title: 'A', severity: 'high', services: ['a'] }, 'alice');
      const b = await incidents.declare({ title: 'B', severity: 'high', services: ['b'] }, 'alice');
      const i1 = await followups.addActionItem(a.id, { title: 'Alert on key expiry', owner: 'bob', due: '2026-11-10', kind: 'preventive' }, 'alice');
      const i2 = await followups.addActionItem(a.id, { title: 'Rotate the key', owner: 'alice', due: '2026-11-03', kind: 'immediate' }, 'alice');
      const i3 = await followups.addActionItem(b.id, { title: 'Write a runbook', kind: 'preventive' }, 'alice');
      assert.deepEqual([i1.status, i3.owner, i3.due], ['open', null, null]);
      await assert.rejects(followups.addActionItem(a.id, { title: 'x', due: '2026-02-30', kind: 'immediate' }, 'alice'), /due must be a day as YYYY-MM-DD, got "2026-02-30"/);
      await assert.rejects(followups.addActionItem('INC-2026-0999', { title: 'x', kind: 'immediate' }, 'alice'), (e: unknown) => e instanceof DomainError && e.kind === 'not_found');
      assert.deepEqual((await followups.actionItems({ statuses: ['open'] })).map((i) => i.id), [i2.id, i1.id, i3.id], 'soonest due first, undated last');
      assert.deepEqual((await followups.actionItems({ owner: 'bob' })).map((i) => i.id), [i1.id]);
      assert.deepEqual((await followups.actionItems({ incidentId: b.id })).map((i) => i.id), [i3.id]);
      await clock.advance(1000);
      const done = await followups.updateActionItem(i2.id, { status: 'done' }, 'alice');
      assert.equal(done.doneAt, clock.now());
      const prog = await followups.updateActionItem(i1.id, { status: 'in_progress', owner: 'carol' }, 'bob', a.id);
      assert.equal(prog.owner, 'carol');
      await assert.rejects(followups.updateActionItem(i1.id, { status: 'done' }, 'bob', b.id), (e: unknown) => e instanceof DomainError && e.kind === 'not_found');
      assert.deepEqual((await followups.actionItems({ statuses: ['open', 'in_progress'] })).map((i) => i.id), [i1.id, i3.id]);
      assert.equal(isOverdue(prog, '2026-11-10'), false, 'due today is not overdue yet');
      assert.equal(isOverdue(prog, '2026-11-11'), true);
      assert.equal(isOverdue(done, '2027-01-01'), false, 'done is never overdue');
      assert.equal(isOverdue(i3, '2030-01-01'), false, 'no due day, never overdue');
      const tl = (await incidents.detail(a.id)).timeline.filter((e) => e.kind === 'action_item').map((e) => e.message);
      assert.equal(tl.length, 4);
      assert.match(tl[2] ?? '', /^Action item #\d+ done \(was open\), by alice: Rotate the key$/);
      const md = await followups.postmortemMarkdown(a.id);
      assert.match(md, /\| \d+ \| Rotate the key \| immediate \| alice \| 2026-11-03 \| done \|/);
    });
  });
}
