import { randomUUID } from 'node:crypto';
import type { Clock } from '../../model/clock.js';
import type { Matcher } from '../../model/matcher.js';
import type { MuteTarget, Muter } from '../../model/mute.js';
import { SilenceError, SilenceNotFoundError, canUpdate, matchersMatch, silenceState, validateSilence } from './silence.js';
import type { Silence } from './silence.js';

/** Durable silences: upsert/remove are durable when they resolve. SQL in alerting/store/. */
export interface SilenceStore {
  upsert(s: Silence): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  all(): Promise<Silence[]>;
}

export class InMemorySilenceStore implements SilenceStore {
  readonly rows = new Map<string, Silence>();
  async upsert(s: Silence): Promise<void> {
    this.rows.set(s.id, s);
  }
  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.rows.delete(id);
  }
  async all(): Promise<Silence[]> {
    return [...this.rows.values()];
  }
}

/** Alertmanager's default --data.retention: expired silences stay listed this long. */
export const DEFAULT_SILENCE_RETENTION = 120 * 3600_000;

export type SilenceInput = Omit<Silence, 'id' | 'updatedAt'> & { readonly id?: string | undefined };

interface Held {
  silence: Silence;
  matchers: Matcher[];
}

/**
 * Silences with Alertmanager's semantics (silence/silence.go), persisted on every change
 * before the change is acknowledged, so an acknowledged silence survives SIGKILL (Alertmanager
 * itself snapshots every 15 minutes and loses newer silences on a crash). Also the `silenced`
 * muting stage: an alert is muted by every active silence whose matchers all match it.
 */
export class Silences implements Muter {
  readonly stage = 'silenced';
  readonly scope = 'alert' as const;
  private readonly held = new Map<string, Held>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly opts: { readonly clock: Clock; readonly store: SilenceStore; readonly retention?: number; readonly newId?: () => string },
  ) {}

  /** Loads persisted silences. */
  async load(): Promise<void> {
    for (const s of await this.opts.store.all()) {
      try {
        this.held.set(s.id, { silence: s, matchers: validateSilence(s) });
      } catch {
        // A stored silence that no longer validates (cannot happen for ones this code wrote) is skipped.
      }
    }
    await this.gc();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private get retention(): number {
    return this.opts.retention ?? DEFAULT_SILENCE_RETENTION;
  }

  /**
   * Creates or updates a silence and returns its id (Alertmanager's Silences.Set): an unknown
   * id is an error; an update that canUpdate() refuses expires the old silence and creates a
   * new one; a start in the past becomes now.
   */
  set(input: SilenceInput): Promise<string> {
    return this.serial(async () => {
      const now = this.opts.clock.now();
      const { id, ...body } = input;
      const prev = id ? this.held.get(id) : undefined;
      if (id && !prev) throw new SilenceNotFoundError();
      const matchers = validateSilence(body);
      if (prev && canUpdate(prev.silence, body, now)) {
        const s: Silence = { ...body, id: prev.silence.id, updatedAt: now };
        await this.opts.store.upsert(s);
        this.held.set(s.id, { silence: s, matchers });
        return s.id;
      }
      if (prev && silenceState(prev.silence, now) !== 'expired') await this.expireHeld(prev, now);
      const s: Silence = { ...body, id: (this.opts.newId ?? randomUUID)(), startsAt: Math.max(body.startsAt, now), updatedAt: now };
      if (s.endsAt < s.startsAt) throw new SilenceError('end time must not be before start time');
      await this.opts.store.upsert(s);
      this.held.set(s.id, { silence: s, matchers });
      await this.gc();
      return s.id;
    });
  }

  /** Expires a silence now (a pending one gets start = end = now). */
  expire(id: string): Promise<void> {
    return this.serial(async () => {
      const h = this.held.get(id);
      if (!h) throw new SilenceNotFoundError();
      const now = this.opts.clock.now();
      if (silenceState(h.silence, now) === 'expired') throw new SilenceError(`silence ${id} already expired`);
      await this.expireHeld(h, now);
    });
  }

  private async expireHeld(h: Held, now: number): Promise<void> {
    const pending = silenceState(h.silence, now) === 'pending';
    const s: Silence = { ...h.silence, endsAt: now, ...(pending ? { startsAt: now } : {}), updatedAt: now };
    await this.opts.store.upsert(s);
    h.silence = s;
  }

  /** Forgets silences expired longer than the retention. */
  private async gc(): Promise<void> {
    const cutoff = this.opts.clock.now() - this.retention;
    const old = [...this.held.values()].filter((h) => h.silence.endsAt < cutoff).map((h) => h.silence.id);
    if (old.length === 0) return;
    await this.opts.store.remove(old);
    for (const id of old) this.held.delete(id);
  }

  get(id: string): Silence | undefined {
    const s = this.held.get(id)?.silence;
    return s && s.endsAt >= this.opts.clock.now() - this.retention ? s : undefined;
  }

  /** Every silence within retention. */
  list(): Silence[] {
    const cutoff = this.opts.clock.now() - this.retention;
    return [...this.held.values()].map((h) => h.silence).filter((s) => s.endsAt >= cutoff);
  }

  mutedBy(alert: MuteTarget, now: number): readonly string[] {
    let ids: string[] | undefined;
    for (const h of this.held.values()) {
      const s = h.silence;
      if (s.startsAt > now || s.endsAt < now) continue;
      if (matchersMatch(h.matchers, alert.labels)) (ids ??= []).push(s.id);
    }
    return ids ? ids.sort() : [];
  }
}
