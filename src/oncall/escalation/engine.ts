import type { Clock, TimerHandle } from '../../model/clock.js';
import { conflict, notFound } from '../../model/errors.js';
import { CHANNELS, type Channel } from '../config.js';
import type { EscalationPolicy, OncallDirectory } from '../directory.js';
import type { Effects, Escalation, EscalationEvent, EscalationStore, Followup, NewEscalation, NewFollowup, PagedVia, PageInfo, PageJob } from './types.js';

/** A link a page carries (notify's MessageLink): `ack` and `resolve` are signed one-use links. */
export interface PageLink {
  readonly rel: string;
  readonly url: string;
  readonly text: string;
}

/** The part of a notification the engine reads: the group's alerts and where they came from. */
export interface GroupNotification {
  readonly receiver: string;
  readonly groupKey: string;
  readonly alerts: ReadonlyArray<{ readonly status: 'firing' | 'resolved'; readonly fingerprint: string }>;
  readonly links?: readonly PageLink[];
}

export interface EscalationEngineOptions {
  readonly store: EscalationStore;
  readonly clock: Clock;
  /** The people, schedules and policies in force (read anew at every step: config reloads). */
  readonly directory: () => OncallDirectory;
  /** The signed acknowledge/resolve links of one page. */
  readonly links: (page: PageInfo) => readonly PageLink[];
  /** The open incident the group's alerts belong to, if any (for the timeline and acks). */
  readonly findIncident?: (fingerprints: readonly string[]) => Promise<string | undefined>;
  /** Every step, for the incident timeline; not awaited. Failures go to onError and never undo the step. */
  readonly onEvent?: (e: Escalation, ev: EscalationEvent) => void | Promise<void>;
  /** Pages were stored as outbox jobs: wake the delivery worker. */
  readonly onPagesQueued?: () => void;
  readonly onError?: (err: unknown) => void;
  /** Longest sleep between looks at the store, ms (another replica may have added work). Default 5s. */
  readonly maxSleep?: number;
}

/** Still firing: paging, acknowledged, or out of levels without an acknowledgement. */
const OPEN = new Set(['active', 'acknowledged', 'exhausted']);

/**
 * Runs escalation policies durably. Level 1's targets are paged at once; each level waits its
 * `escalate_after` for an acknowledgement before the next is paged; `repeat` starts over from
 * level 1; an acknowledgement or the group resolving stops it; `ack_timeout` re-escalates an
 * acknowledged but unresolved one. Every step is one atomic store commit together with the
 * pages it sends (outbox jobs), so after a crash the next process resumes at the level that
 * was reached, as soon as it runs, and never pages a level twice.
 */
export class EscalationEngine {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: TimerHandle | undefined;
  private running = false;
  private ticking: Promise<void> | undefined;

  constructor(private readonly opts: EscalationEngineOptions) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private now(): number {
    return this.opts.clock.now();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    await this.chain;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = undefined;
      this.ticking = this.tick();
    }, Math.max(0, ms));
  }

  /** Does every step that is due, then sleeps until the next one. */
  async tick(): Promise<void> {
    try {
      await this.serial(async () => {
        for (;;) {
          const now = this.now();
          const due = await this.opts.store.due(now, 100);
          for (const e of due) await this.step(e);
          const followups = await this.opts.store.followupsDue(now, 100);
          for (const f of followups) await this.followup(f);
          if (due.length < 100 && followups.length < 100) break;
        }
      });
    } catch (err) {
      this.opts.onError?.(err);
    }
    if (!this.running) return;
    let next: number | undefined;
    try {
      next = await this.opts.store.nextDue();
    } catch (err) {
      this.opts.onError?.(err);
    }
    const maxSleep = this.opts.maxSleep ?? 5000;
    this.schedule(next === undefined ? maxSleep : Math.min(maxSleep, next - this.now()));
  }

  /**
   * The notify step for a receiver with an escalation policy: a group that starts firing
   * starts an escalation (level 1 is paged before this resolves); later flushes only refresh
   * what pages show; a flush with nothing firing resolves it.
   */
  onNotification(policyName: string, n: GroupNotification, message: string): Promise<Escalation | undefined> {
    return this.serial(async () => {
      const firing = n.alerts.filter((a) => a.status === 'firing').map((a) => a.fingerprint);
      const open = await this.opts.store.open(n.receiver, n.groupKey);
      if (firing.length === 0) {
        if (open) await this.finish(open, 'resolved', 'vigil', 'alerts', message);
        return open;
      }
      if (open) {
        await this.opts.store.commit(open.id, open.version, { message, fingerprints: firing, updatedAt: this.now() }, NO_EFFECTS);
        return open;
      }
      if (!this.opts.directory().policy(policyName)) throw notFound(`escalation policy ${JSON.stringify(policyName)}`);
      const now = this.now();
      const fresh: NewEscalation = {
        receiver: n.receiver,
        groupKey: n.groupKey,
        policy: policyName,
        status: 'active',
        level: 0,
        round: 0,
        nextAt: now,
        startedAt: now,
        updatedAt: now,
        ackedAt: null,
        ackedBy: null,
        ackedVia: null,
        incidentId: (await this.opts.findIncident?.(firing)) ?? null,
        fingerprints: firing,
        message,
        paged: [],
      };
      const e = await this.opts.store.insert(fresh);
      await this.step(e);
      return (await this.opts.store.get(e.id)) ?? e;
    });
  }

  acknowledge(id: number, by: string, via: string): Promise<Escalation> {
    return this.serial(async () => {
      const e = await this.mustGet(id);
      if (e.status !== 'active' && e.status !== 'exhausted') throw conflict(`escalation ${id} is ${e.status}; only an unacknowledged one can be acknowledged`);
      const policy = this.opts.directory().policy(e.policy);
      const now = this.now();
      const patch = { status: 'acknowledged' as const, ackedAt: now, ackedBy: by, ackedVia: via, updatedAt: now, nextAt: policy?.ackTimeout ? now + policy.ackTimeout : null };
      if (!(await this.opts.store.commit(e.id, e.version, patch, NO_EFFECTS))) throw conflict(`escalation ${id} changed meanwhile; try again`);
      const done = { ...e, ...patch };
      await this.emit(done, { kind: 'acknowledged', by, via });
      this.schedule(0);
      return done;
    });
  }

  resolve(id: number, by: string, via: string): Promise<Escalation> {
    return this.serial(async () => {
      const e = await this.mustGet(id);
      if (!OPEN.has(e.status)) throw conflict(`escalation ${id} is already ${e.status}`);
      return this.finish(e, 'resolved', by, via);
    });
  }

  /** An incident acknowledged or resolved elsewhere (API, CLI, UI) stops its escalations. */
  async onIncident(incidentId: string, status: 'acknowledged' | 'resolved', by: string, via = 'api'): Promise<void> {
    const list = await this.opts.store.list({ status: 'open', incidentId });
    for (const e of list) {
      try {
        if (status === 'resolved') await this.resolve(e.id, by, via);
        else if (e.status !== 'acknowledged') await this.acknowledge(e.id, by, via);
      } catch (err) {
        if (!(err instanceof Error && err.name === 'DomainError')) throw err;
      }
    }
  }

  get(id: number): Promise<Escalation | undefined> {
    return this.opts.store.get(id);
  }

  private async mustGet(id: number): Promise<Escalation> {
    const e = await this.opts.store.get(id);
    if (!e) throw notFound(`escalation ${id}`);
    return e;
  }

  /**
   * Stops an escalation. When its alerts resolved (`resolvedMessage`: the group's resolved
   * notification), everyone who was paged is told, through each channel they were paged on
   * (a phone call excepted), in the same commit: whoever was woken up learns it is over.
   */
  private async finish(e: Escalation, status: 'resolved', by: string, via: string, resolvedMessage?: string): Promise<Escalation> {
    const now = this.now();
    const patch = { status, nextAt: null, updatedAt: now };
    const pages: Array<{ job: PageJob; info: PageInfo }> = [];
    const skipped: EscalationEvent[] = [];
    if (resolvedMessage !== undefined) {
      const told = { ...e, message: resolvedMessage, level: Math.max(0, e.level - 1) };
      for (const p of e.paged) if (p.channel !== 'voice') this.page(told, p.person, p.channel as Channel, now, pages, skipped, false);
    }
    await this.opts.store.commit(e.id, e.version, patch, { ...NO_EFFECTS, pages: pages.map((p) => p.job) });
    if (pages.length) this.opts.onPagesQueued?.();
    const done = { ...e, ...patch };
    await this.emit(done, { kind: 'resolved', by, via });
    for (const p of pages) await this.emit(done, { kind: 'page_queued', page: p.info, resolved: true });
    return done;
  }

  /**
   * Hands an event on without waiting for it: recording it (the incident timeline) must never
   * hold up the next page. Events are handed on in order; the recorder keeps that order.
   */
  private async emit(e: Escalation, ev: EscalationEvent): Promise<void> {
    try {
      const r = this.opts.onEvent?.(e, ev);
      if (r) r.catch((err: unknown) => this.opts.onError?.(err));
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  /** One due step: page the next level, start over (`repeat`), give up, or re-escalate after ack_timeout. */
  private async step(e0: Escalation): Promise<void> {
    let e = e0;
    if (e.incidentId === null && this.opts.findIncident) {
      const incidentId = (await this.opts.findIncident(e.fingerprints)) ?? null;
      if (incidentId !== null) e = { ...e, incidentId };
    }
    const policy = this.opts.directory().policy(e.policy);
    const now = this.now();
    if (!policy) {
      await this.opts.store.commit(e.id, e.version, { status: 'exhausted', nextAt: null, updatedAt: now, incidentId: e.incidentId }, NO_EFFECTS);
      this.opts.onError?.(new Error(`escalation ${e.id}: policy ${JSON.stringify(e.policy)} is no longer configured; stopped`));
      return;
    }
    const events: EscalationEvent[] = [];
    let level = e.level;
    let round = e.round;
    if (e.status === 'acknowledged') {
      events.push({ kind: 'ack_timeout' });
      level = 0;
      round = 0;
    }
    if (level >= policy.levels.length) {
      if (round >= policy.repeat) {
        if (await this.opts.store.commit(e.id, e.version, { status: 'exhausted', nextAt: null, updatedAt: now, incidentId: e.incidentId }, NO_EFFECTS)) await this.emit(e, { kind: 'exhausted' });
        return;
      }
      level = 0;
      round++;
    }
    const lvl = policy.levels[level];
    if (!lvl) return;
    const dir = this.opts.directory();
    const people = dir.resolveTargets(lvl.targets, now);
    const paged = { ...e, level, round };
    const { pages, followups, skipped } = this.pagesFor(paged, people, now);
    const patch: Partial<NewEscalation> = {
      status: 'active',
      level: level + 1,
      round,
      // Nobody to page at this level: go on to the next at once instead of waiting.
      nextAt: people.length > 0 ? now + lvl.escalateAfter : now,
      updatedAt: now,
      incidentId: e.incidentId,
      paged: withPaged(e.paged, pages),
      ...(e.status === 'acknowledged' ? { ackedAt: null, ackedBy: null, ackedVia: null } : {}),
    };
    const ok = await this.opts.store.commit(e.id, e.version, patch, { pages: pages.map((p) => p.job), followups, doneFollowups: [] });
    if (!ok) return;
    if (pages.length) this.opts.onPagesQueued?.();
    const after = { ...e, ...patch } as Escalation;
    events.push({ kind: 'level', level: level + 1, round, people });
    for (const ev of events) await this.emit(after, ev);
    for (const s of skipped) await this.emit(after, s);
    for (const p of pages) await this.emit(after, { kind: 'page_queued', page: p.info });
  }

  private async followup(f: Followup): Promise<void> {
    const e = await this.opts.store.get(f.escalationId);
    if (!e) return;
    if (e.status !== 'active') {
      await this.opts.store.commit(e.id, e.version, {}, { pages: [], followups: [], doneFollowups: [f.id] });
      return;
    }
    const now = this.now();
    const pages: Array<{ job: PageJob; info: PageInfo }> = [];
    const skipped: EscalationEvent[] = [];
    for (const channel of f.channels) this.page({ ...e, level: f.level, round: f.round }, f.person, channel as Channel, now, pages, skipped);
    if (!(await this.opts.store.commit(e.id, e.version, { updatedAt: now, paged: withPaged(e.paged, pages) }, { pages: pages.map((p) => p.job), followups: [], doneFollowups: [f.id] }))) return;
    if (pages.length) this.opts.onPagesQueued?.();
    const after = { ...e, updatedAt: now, version: e.version + 1 };
    for (const s of skipped) await this.emit(after, s);
    for (const p of pages) await this.emit(after, { kind: 'page_queued', page: p.info });
  }

  /** The pages due now for the people of a level, and their delayed notification rules. */
  private pagesFor(e: Escalation, people: readonly string[], now: number) {
    const pages: Array<{ job: PageJob; info: PageInfo }> = [];
    const followups: NewFollowup[] = [];
    const skipped: EscalationEvent[] = [];
    for (const name of people) {
      const person = this.opts.directory().person(name);
      if (!person) continue;
      for (const rule of person.rules) {
        if (rule.after > 0) {
          followups.push({ dueAt: now + rule.after, person: name, channels: rule.via, level: e.level, round: e.round });
          continue;
        }
        for (const channel of rule.via) this.page(e, name, channel, now, pages, skipped);
      }
    }
    return { pages, followups, skipped };
  }

  /** Adds one page; `withLinks: false` leaves out the acknowledge and resolve links (nothing left to act on). */
  private page(e: Escalation, person: string, channel: Channel, now: number, pages: Array<{ job: PageJob; info: PageInfo }>, skipped: EscalationEvent[], withLinks = true): void {
    const p = this.opts.directory().person(person);
    const address = p?.contacts[CHANNELS[channel]];
    if (!address) {
      skipped.push({ kind: 'page_skipped', person, channel, reason: `no ${CHANNELS[channel]} contact`, level: e.level + 1 });
      return;
    }
    const info: PageInfo = { escalation: e.id, person, channel, address, level: e.level + 1, round: e.round };
    const msg = JSON.parse(e.message) as { links?: PageLink[] } & Record<string, unknown>;
    const links = [...(msg.links ?? []).filter((l) => l.rel !== 'ack' && l.rel !== 'resolve'), ...(withLinks ? this.opts.links(info) : [])];
    const payload = JSON.stringify({ ...msg, links, page: info });
    pages.push({ info, job: { receiver: e.receiver, integrationType: 'page', integrationIndex: 0, groupKey: e.groupKey, fingerprints: e.fingerprints, payload, createdAt: now } });
  }
}

const NO_EFFECTS: Effects = { pages: [], followups: [], doneFollowups: [] };

/** `paged` with the people and channels of these pages added (each pair once). */
function withPaged(paged: readonly PagedVia[], pages: ReadonlyArray<{ info: PageInfo }>): PagedVia[] {
  const out = [...paged];
  for (const { info } of pages) if (!out.some((p) => p.person === info.person && p.channel === info.channel)) out.push({ person: info.person, channel: info.channel });
  return out;
}

export type { EscalationPolicy };
