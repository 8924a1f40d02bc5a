import { createHash, randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../model/clock.js';
import { conflict, invalid, notFound } from '../model/errors.js';
import type { MuteTarget, Muter } from '../model/mute.js';
import type { MaintenanceConfig } from './config.js';
import { stateAt, type MaintenanceEvent, type MaintenanceListener, type MaintenanceReader, type MaintenanceState, type MaintenanceStore, type MaintenanceWindow } from './types.js';

export interface MaintenanceServiceOptions {
  readonly store: MaintenanceStore;
  readonly clock: Clock;
  /** The windows of `maintenance:` in vigil.yml. */
  readonly configured?: MaintenanceConfig;
  /** New window ids (default: random UUIDs). */
  readonly newId?: () => string;
}

export interface MaintenanceInput {
  readonly services: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly reason: string;
}

export interface MaintenanceFilter {
  readonly states?: readonly MaintenanceState[];
  readonly service?: string;
}

/** An interval [start, end) in ms. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** The stage name muted alerts show in their history and status. */
export const MAINTENANCE_STAGE = 'maintenance';
/** Timers never wait longer than this (Node's setTimeout overflows past 24.8 days). */
const MAX_TIMER = 24 * 3600_000;

/** A config window's id: the same declaration keeps the same id across restarts and reloads. */
export function configWindowId(w: MaintenanceConfig[number]): string {
  const h = createHash('sha256').update(JSON.stringify([[...w.services].sort(), Date.parse(w.start), Date.parse(w.end), w.reason])).digest('hex');
  return `config-${h.slice(0, 12)}`;
}

function fromConfig(c: MaintenanceConfig): MaintenanceWindow[] {
  return c.map((w) => ({
    id: configWindowId(w),
    services: [...w.services],
    start: Date.parse(w.start),
    end: Date.parse(w.end),
    reason: w.reason,
    source: 'config',
    createdBy: 'config',
    createdAt: 0,
    updatedAt: 0,
    endedEarlyBy: null,
    plannedEnd: null,
  }));
}

function checkServices(services: readonly string[]): void {
  if (services.length === 0) throw invalid('services: name at least one service');
  if (new Set(services).size !== services.length) throw invalid('services: a service is named twice');
}

/**
 * Maintenance windows: those of the config plus those created through the API (persisted),
 * held in memory. It mutes alerts of services in maintenance (`muter()`, a pipeline muting
 * stage), answers which time of a service was under maintenance (`intervals`, for SLOs), and
 * tells subscribers when windows are created, changed, cancelled, start and end — a timer on
 * the injected clock fires at each start and end.
 */
export class MaintenanceService implements MaintenanceReader {
  private configured: MaintenanceWindow[];
  private stored = new Map<string, MaintenanceWindow>();
  private readonly listeners: MaintenanceListener[] = [];
  private timer: TimerHandle | undefined;
  private lastTick: number;
  private running = false;

  constructor(private readonly opts: MaintenanceServiceOptions) {
    this.configured = fromConfig(opts.configured ?? []);
    this.lastTick = opts.clock.now();
  }

  /** Loads the stored windows and starts announcing starts and ends. */
  async start(): Promise<void> {
    for (const w of await this.opts.store.all()) this.stored.set(w.id, w);
    this.lastTick = this.opts.clock.now();
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Replaces the config windows (a reload). New ones are announced as created; removed ones as
   * cancelled when they had not begun, as ended (now, by `config`) when they were in progress —
   * as if cancelled through the API. Completed ones go quietly.
   */
  setConfigured(c: MaintenanceConfig): void {
    this.catchUp();
    const before = this.configured;
    const beforeIds = new Set(before.map((w) => w.id));
    this.configured = fromConfig(c);
    const afterIds = new Set(this.configured.map((w) => w.id));
    const now = this.opts.clock.now();
    for (const w of before) {
      if (afterIds.has(w.id)) continue;
      const state = stateAt(w, now);
      if (state === 'upcoming') this.emit({ kind: 'cancelled', window: w, at: now });
      else if (state === 'active') this.emit({ kind: 'ended', window: { ...w, end: now, endedEarlyBy: 'config', plannedEnd: w.end, updatedAt: now }, at: now });
    }
    for (const w of this.configured) {
      if (beforeIds.has(w.id)) continue;
      this.emit({ kind: 'created', window: w, at: now });
      if (stateAt(w, now) === 'active') this.emit({ kind: 'started', window: w, at: now });
    }
    this.schedule();
  }

  /** Every window, in start order (then id). */
  list(filter: MaintenanceFilter = {}): MaintenanceWindow[] {
    const now = this.opts.clock.now();
    return [...this.configured, ...this.stored.values()]
      .filter((w) => (!filter.states || filter.states.includes(stateAt(w, now))) && (!filter.service || w.services.includes(filter.service)))
      .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get(id: string): MaintenanceWindow | undefined {
    return this.stored.get(id) ?? this.configured.find((w) => w.id === id);
  }

  /** Windows active at `t` that cover `service`. */
  activeFor(service: string, t = this.opts.clock.now()): MaintenanceWindow[] {
    return this.list().filter((w) => w.services.includes(service) && w.start <= t && t < w.end);
  }

  /** Windows active at `at` (default now), optionally only those covering `service`. */
  active(at = this.opts.clock.now(), service?: string): MaintenanceWindow[] {
    return this.list(service ? { service } : {}).filter((w) => w.start <= at && at < w.end);
  }

  /** Windows overlapping [from, to), optionally only those covering `service` (maintenance done in a period). */
  overlapping(from: number, to: number, service?: string): MaintenanceWindow[] {
    return this.list(service ? { service } : {}).filter((w) => w.start < to && w.end > from);
  }

  /** Windows that start after `at` (default now), soonest first. */
  upcoming(at = this.opts.clock.now(), service?: string): MaintenanceWindow[] {
    return this.list(service ? { service } : {}).filter((w) => w.start > at);
  }

  /**
   * The time between `from` and `to` that `service` spent in maintenance, as sorted,
   * non-overlapping intervals clipped to [from, to).
   */
  intervals(service: string, from: number, to: number): Interval[] {
    const parts = this.list()
      .filter((w) => w.services.includes(service) && w.end > from && w.start < to)
      .map((w) => ({ start: Math.max(w.start, from), end: Math.min(w.end, to) }))
      .sort((a, b) => a.start - b.start);
    const out: Array<{ start: number; end: number }> = [];
    for (const p of parts) {
      const last = out[out.length - 1];
      if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
      else out.push({ ...p });
    }
    return out;
  }

  /**
   * Creates a window. A start in the past becomes now (as Alertmanager treats a silence's
   * start): a window never reaches back over time already measured.
   */
  async create(input: MaintenanceInput, actor: string): Promise<MaintenanceWindow> {
    this.catchUp();
    const now = this.opts.clock.now();
    checkServices(input.services);
    if (!(input.end > input.start)) throw invalid('end must be after start');
    if (input.end <= now) throw invalid('end must be in the future (past maintenance cannot be recorded after the fact)');
    const w: MaintenanceWindow = {
      id: this.opts.newId?.() ?? randomUUID(),
      services: [...input.services],
      start: Math.max(input.start, now),
      end: input.end,
      reason: input.reason,
      source: 'api',
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
      endedEarlyBy: null,
      plannedEnd: null,
    };
    await this.opts.store.insert(w);
    this.stored.set(w.id, w);
    this.emit({ kind: 'created', window: w, at: now });
    if (w.start <= now) this.emit({ kind: 'started', window: w, at: now });
    this.schedule();
    return w;
  }

  private mutable(id: string): MaintenanceWindow {
    const w = this.get(id);
    if (!w) throw notFound(`maintenance window ${id}`);
    if (w.source === 'config') throw conflict(`maintenance window ${id} is declared in the configuration; change it there`);
    return w;
  }

  /**
   * Changes a window: anything while it is upcoming; while active, its services, end (still in
   * the future) and reason; nothing once completed.
   */
  async update(id: string, patch: Partial<MaintenanceInput>, actor: string): Promise<MaintenanceWindow> {
    this.catchUp();
    const w = this.mutable(id);
    const now = this.opts.clock.now();
    const state = stateAt(w, now);
    if (state === 'completed') throw conflict(`maintenance window ${id} is over; completed windows are kept as the record of maintenance done`);
    if (patch.services) checkServices(patch.services);
    let start = w.start;
    if (patch.start !== undefined && patch.start !== w.start) {
      if (state === 'active') throw conflict(`maintenance window ${id} has started; its start cannot change`);
      start = Math.max(patch.start, now);
    }
    const end = patch.end ?? w.end;
    if (!(end > start)) throw invalid('end must be after start');
    if (end <= now) throw invalid('end must be in the future (to end it now, DELETE it)');
    const next: MaintenanceWindow = { ...w, services: patch.services ? [...patch.services] : w.services, start, end, reason: patch.reason ?? w.reason, updatedAt: now };
    await this.opts.store.update(next);
    this.stored.set(id, next);
    void actor;
    this.emit({ kind: 'updated', window: next, at: now });
    if (state === 'upcoming' && next.start <= now) this.emit({ kind: 'started', window: next, at: now });
    this.schedule();
    return next;
  }

  /**
   * Cancels a window: an upcoming one is removed, an active one ends now (and is kept, with who
   * ended it and its planned end). A completed window cannot be cancelled.
   */
  async cancel(id: string, actor: string): Promise<MaintenanceWindow | undefined> {
    this.catchUp();
    const w = this.mutable(id);
    const now = this.opts.clock.now();
    const state = stateAt(w, now);
    if (state === 'completed') throw conflict(`maintenance window ${id} is over; completed windows are kept as the record of maintenance done`);
    if (state === 'upcoming') {
      await this.opts.store.delete(id);
      this.stored.delete(id);
      this.emit({ kind: 'cancelled', window: w, at: now });
      this.schedule();
      return undefined;
    }
    const ended: MaintenanceWindow = { ...w, end: now, endedEarlyBy: actor, plannedEnd: w.end, updatedAt: now };
    await this.opts.store.update(ended);
    this.stored.set(id, ended);
    this.emit({ kind: 'ended', window: ended, at: now });
    this.schedule();
    return ended;
  }

  /** Forgets API windows that ended before `before` (housekeeping). */
  async prune(before: number): Promise<number> {
    const n = await this.opts.store.prune(before);
    for (const [id, w] of this.stored) if (w.end < before) this.stored.delete(id);
    return n;
  }

  /** The alert pipeline's muting stage: an alert is muted by the active windows covering its `service` label. */
  muter(): Muter {
    return {
      stage: MAINTENANCE_STAGE,
      scope: 'alert',
      mutedBy: (alert: MuteTarget, now: number) => {
        const service = alert.labels['service'];
        if (!service) return [];
        const out: string[] = [];
        for (const w of this.configured) if (w.start <= now && now < w.end && w.services.includes(service)) out.push(w.id);
        for (const w of this.stored.values()) if (w.start <= now && now < w.end && w.services.includes(service)) out.push(w.id);
        return out;
      },
    };
  }

  /** Window events in order; returns an unsubscribe function. Listeners must not throw. */
  subscribe(listener: MaintenanceListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private emit(ev: MaintenanceEvent): void {
    for (const l of [...this.listeners]) l(ev);
  }

  private tick(): void {
    this.timer = undefined;
    this.catchUp();
    this.schedule();
  }

  /** Announces the starts and ends between the last look and now. */
  private catchUp(): void {
    const now = this.opts.clock.now();
    const from = this.lastTick;
    this.lastTick = now;
    const events: MaintenanceEvent[] = [];
    for (const w of this.list()) {
      if (w.start > from && w.start <= now) events.push({ kind: 'started', window: w, at: w.start });
      if (w.end > from && w.end <= now && w.endedEarlyBy === null) events.push({ kind: 'ended', window: w, at: w.end });
    }
    events.sort((a, b) => a.at - b.at);
    for (const ev of events) this.emit(ev);
  }

  private schedule(): void {
    if (!this.running) return;
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
    const now = this.opts.clock.now();
    let next = Infinity;
    for (const w of this.list()) {
      if (w.start > now) next = Math.min(next, w.start);
      if (w.end > now) next = Math.min(next, w.end);
    }
    if (next === Infinity) return;
    this.timer = this.opts.clock.setTimeout(() => this.tick(), Math.min(MAX_TIMER, next - now));
  }
}

export type { MaintenanceEvent, MaintenanceState, MaintenanceWindow };
