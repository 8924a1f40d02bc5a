import { maintenanceNotice, type MaintenanceNoticeKind } from './notices.js';
import { publicMaintenance, type StatusSnapshot } from './page.js';
import type { Notice } from './subscriptions.js';
import type { MaintenanceSource, PlannedWindow } from './types.js';

export interface MaintenanceNoticesOptions {
  readonly windows: Pick<MaintenanceSource, 'overlapping'>;
  /** The page's components: a window is announced when it covers one of their services. */
  readonly components: ReadonlyArray<{ readonly service: string; readonly name?: string | undefined }>;
  readonly subscribers: {
    /** Queues `n` to every confirmed subscriber unless `key` was queued before (durably, with its jobs). */
    sendOnce(key: string, subject: string, n: Notice): Promise<boolean>;
    sentAbout(subject: string): Promise<boolean>;
  };
  /** The page as it stands (its title and indicator go into each notice). */
  readonly snapshot: () => Promise<StatusSnapshot>;
  /** The absolute URL of /status. */
  readonly pageURL: string;
  readonly now: () => number;
  readonly onError: (err: unknown) => void;
}

/** A completed window is still announced as completed this long after its end (a server that was down). */
const LOOKBACK = 7 * 86_400_000;

/** What a window's subscribers have been told, and what they are owed now. */
type Due = { readonly key: string; readonly kind: MaintenanceNoticeKind };

/**
 * Maintenance notices to status page subscribers, as Statuspage sends them: when a window
 * covering a component is scheduled (again when its times change), when it starts, and when
 * it completes (or is ended early) — and when an announced window is cancelled. Each notice
 * has a key recorded with its outbox jobs, so it goes out once: `reconcile()` looks at every
 * window and sends what is owed and not yet sent, which makes it safe to run on every window
 * event and at startup (catching up on starts and ends that passed while the server was down).
 * A window first seen in progress is announced as started, not scheduled; one first seen
 * completed is not announced at all.
 */
export class MaintenanceNotices {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: MaintenanceNoticesOptions) {}

  /** Sends whatever notices are owed now; resolves with how many were queued. */
  reconcile(): Promise<number> {
    return this.serial(() => this.catchUp());
  }

  /**
   * A window event. `cancelled` and `ended` carry a window that may no longer be listed (a
   * cancelled one, or one a reload took out of the config while in progress): its subscribers
   * are told from the event (after `ended`, everything else owed is sent too, as after any
   * other event, which only looks again).
   */
  onEvent(ev: { readonly kind: string; readonly window: PlannedWindow }): Promise<number> {
    const kind = ev.kind === 'cancelled' ? 'cancelled' : ev.kind === 'ended' ? 'completed' : undefined;
    if (!kind) return this.reconcile();
    return this.serial(async () => {
      const w = ev.window;
      let sent = 0;
      if (this.covers(w) && (await this.opts.subscribers.sentAbout(w.id))) {
        // The same key as a catch-up would use, so a completion is told once either way.
        if (await this.send(w, { key: `maintenance:${w.id}:${kind}`, kind })) sent++;
      }
      return kind === 'completed' ? sent + (await this.catchUp()) : sent;
    });
  }

  /** Resolves when the notices in progress are queued. */
  async idle(): Promise<void> {
    await this.chain;
  }

  /** One at a time; never rejects (a failure goes to onError and the next event tries again). */
  private serial(fn: () => Promise<number>): Promise<number> {
    const run = this.chain.then(fn).catch((err: unknown) => {
      this.opts.onError(err);
      return 0;
    });
    this.chain = run;
    return run;
  }

  private covers(w: PlannedWindow): boolean {
    return w.services.some((s) => this.opts.components.some((c) => c.service === s));
  }

  private async catchUp(): Promise<number> {
    const now = this.opts.now();
    let sent = 0;
    for (const w of this.opts.windows.overlapping(now - LOOKBACK, Infinity)) {
      if (!this.covers(w)) continue;
      const due = await this.due(w, now);
      if (due && (await this.send(w, due))) sent++;
    }
    return sent;
  }

  private async due(w: PlannedWindow, now: number): Promise<Due | undefined> {
    if (now < w.start) {
      const before = await this.opts.subscribers.sentAbout(w.id);
      // The times are part of the key: a window moved to other times is announced again.
      return { key: `maintenance:${w.id}:scheduled:${w.start}-${w.end}`, kind: before ? 'rescheduled' : 'scheduled' };
    }
    if (now < w.end) return { key: `maintenance:${w.id}:started`, kind: 'started' };
    // Completed: worth saying only to those who heard of it.
    return (await this.opts.subscribers.sentAbout(w.id)) ? { key: `maintenance:${w.id}:completed`, kind: 'completed' } : undefined;
  }

  private async send(w: PlannedWindow, due: Due): Promise<boolean> {
    const now = this.opts.now();
    const names = this.opts.components.filter((c) => w.services.includes(c.service)).map((c) => c.name ?? c.service);
    const m = publicMaintenance(w, due.kind === 'cancelled' ? Math.min(now, w.start - 1) : now, names);
    return this.opts.subscribers.sendOnce(due.key, w.id, maintenanceNotice(await this.opts.snapshot(), m, due.kind, this.opts.pageURL));
  }
}
