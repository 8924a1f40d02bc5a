import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Session } from 'node:inspector';
import type { Clock, TimerHandle } from './clock.js';

/** What the collector reads and does; `nodeMemory()` is the process's own. */
export interface IdleCollectorDeps {
  readonly clock: Clock;
  /** The main thread's V8 heap (committed) plus external memory (ArrayBuffers), in bytes. */
  footprint(): number;
  /** Share of the time since the previous call the event loop was busy (0..1). */
  busy(): number;
  /**
   * A full garbage collection; with `reduce`, one that also gives the young generation back
   * and compacts (V8's memory-reducing collection) where that can be had. The collector waits
   * for it before it looks at the loop again.
   */
  collect(reduce: boolean): void | Promise<void>;
}

export interface IdleCollectorOptions {
  /** How often the loop is looked at (default 1 s). */
  readonly intervalMs?: number;
  /** Busy below this share of the last interval counts as quiet (default 0.05). */
  readonly quietBelow?: number;
  /** Growth of the footprint since the last collection that is worth one (default 16 MiB). */
  readonly minGrowthBytes?: number;
  /** Quiet time in a row after a collection before the second, shrinking one (default 6 s). */
  readonly settleMs?: number;
}

/**
 * Gives memory back when the server goes quiet. V8 sizes its heap for the last burst (a
 * young generation grown to its 32 MiB maximum by start-up or ingest, dead request buffers
 * and garbage that wait for the next full collection, which a quiet server never triggers)
 * and, in a Node.js server, keeps that size while idle: measured, an idle `vigil server`
 * held the same 99 MiB of heap and ArrayBuffers 40 s after a remote-write burst as 2 s after
 * it. Every `intervalMs` this looks at the event loop. After an interval in which it was
 * busy less than `quietBelow` of the time, if the footprint has grown by `minGrowthBytes`
 * since the last collection, it runs a full collection, which frees the garbage and the dead
 * buffers. Once the loop has been quiet for `settleMs` in a row after that (however long that
 * takes) it runs a memory-reducing one, which also gives the young generation back and
 * compacts the old one; one also ends any quiet `settleMs` before which the footprint grew by
 * a quarter of `minGrowthBytes` (a scrape's worth of remote-write regrows the young
 * generation from its minimum). The first quiet interval after start gets a memory-reducing
 * one at once: what start-up grew is not a burst that comes back.
 *
 * Not every collection reduces: measured with 50,000 alerts posted in a burst, shrinking the
 * young generation at each quiet second between the burst's busy ones (a loaded machine has
 * them) made V8 promote the rest of the burst's short-lived objects: 195-293 MiB of heap used
 * at its end instead of 136-150. A busy loop is never interrupted, so under steady load
 * nothing runs and ingest and queries are not slowed; a collection of a ~100 MiB heap takes
 * tens of milliseconds (a memory-reducing one about twice that) at a moment when nothing was
 * waiting.
 */
export class IdleCollector {
  private timer: TimerHandle | undefined;
  /** Footprint right after the last collection; -1 before the first. */
  private base = -1;
  /** The second collection (young generation back to its minimum) is due. */
  private shrinkDue = false;
  /** Since when the loop has been quiet (or the last collection ran); -1 while busy. */
  private quietSince = -1;
  /** A collection that runs as a task of its own has been asked for and not finished. */
  private collecting = false;
  private readonly intervalMs: number;
  private readonly quietBelow: number;
  private readonly minGrowth: number;
  private readonly settleMs: number;
  private readonly settleGrowth: number;
  /** Collections run (for tests). */
  collections = 0;

  constructor(
    private readonly deps: IdleCollectorDeps,
    opts: IdleCollectorOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.quietBelow = opts.quietBelow ?? 0.05;
    this.minGrowth = opts.minGrowthBytes ?? 16 * 1024 * 1024;
    this.settleMs = opts.settleMs ?? 6000;
    this.settleGrowth = this.minGrowth / 4;
  }

  start(): void {
    if (this.timer) return;
    this.deps.busy();
    this.schedule();
  }

  stop(): void {
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = this.deps.clock.setTimeout(() => this.tick(), this.intervalMs);
  }

  private tick(): void {
    this.schedule();
    if (this.collecting) return;
    const now = this.deps.clock.now();
    if (this.deps.busy() >= this.quietBelow) {
      this.quietSince = -1;
      return;
    }
    if (this.quietSince < 0) this.quietSince = now - this.intervalMs;
    if (this.base < 0) {
      this.collect(now, true);
      // Where only plain collections can be had, the young generation shrinks in the next.
      this.shrinkDue = true;
      return;
    }
    const grown = this.deps.footprint() - this.base;
    if (grown >= this.minGrowth) {
      this.collect(now, false);
      this.shrinkDue = true;
    } else if (now - this.quietSince >= this.settleMs && (this.shrinkDue || grown >= this.settleGrowth)) {
      // Quiet for settleMs: the young generation can shrink. Also after a smaller spell of
      // work (a scrape's worth of remote-write regrows the young generation from its minimum).
      this.collect(now, true);
      this.shrinkDue = false;
    }
  }

  private collect(now: number, reduce: boolean): void {
    this.collections++;
    const done = () => {
      this.collecting = false;
      this.base = this.deps.footprint();
      this.quietSince = Math.max(now, this.deps.clock.now());
      // The collection kept the loop busy; that is not load.
      this.deps.busy();
    };
    this.collecting = true;
    const r = this.deps.collect(reduce);
    if (r) r.then(done, done);
    else done();
  }
}

/**
 * The process's own: heap and external memory from process.memoryUsage(), the event loop's
 * utilization from perf_hooks, and a full collection. Where Node has its inspector (official
 * builds do), a reducing collection is V8's memory-reducing one, asked for through an in-process
 * inspector session (`HeapProfiler.collectGarbage`, which opens no port): it compacts the old
 * generation and gives the young generation back at once, where a plain gc() leaves a young
 * generation grown to 32 MiB in place until a collection that follows seconds of little
 * allocation (measured on an idle `vigil server` 5 s after start: RSS 140 MiB with gc(), ~110
 * with this). A plain one, and a reducing one where the inspector is missing, is V8's gc(): not exposed without --expose-gc; setting that flag at run
 * time makes V8 install it in contexts created afterwards, so one new context hands it over
 * without a node option (and the flag is cleared again, so no later context has it).
 * Undefined if neither can be had (no collector then).
 */
export function nodeMemory(clock: Clock, opts: { inspector?: boolean } = {}): IdleCollectorDeps | undefined {
  let last = performance.eventLoopUtilization();
  const footprint = () => {
    const m = process.memoryUsage();
    return m.heapTotal + m.external;
  };
  const busy = () => {
    const now = performance.eventLoopUtilization();
    const d = performance.eventLoopUtilization(now, last);
    last = now;
    return d.utilization;
  };
  const gc = plainGc();
  const reducing = opts.inspector === false ? undefined : memoryReducingGc(gc);
  if (!gc) return undefined;
  return { clock, footprint, busy, collect: (reduce) => (reduce && reducing ? reducing() : gc()) };
}

function plainGc(): (() => void) | undefined {
  let gc: unknown;
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc');
  } catch {
    return undefined;
  } finally {
    // Only this context gets it (unless node was started with --expose-gc).
    if (!process.execArgv.includes('--expose-gc')) setFlagsFromString('--no-expose-gc');
  }
  return typeof gc === 'function' ? (gc as () => void) : undefined;
}

/**
 * V8's memory-reducing collection through this thread's inspector (each isolate has its own),
 * as a task of V8's; resolves when it has run. The session is opened at the first collection
 * and kept (a connected session with no domain enabled costs nothing and keeps no thread
 * alive). Should the inspector refuse, that collection is a plain one.
 */
function memoryReducingGc(fallback: (() => void) | undefined): (() => Promise<void>) | undefined {
  if (!process.features.inspector) return undefined;
  let SessionClass: typeof Session;
  try {
    SessionClass = (createRequire(import.meta.url)('node:inspector') as typeof import('node:inspector')).Session;
  } catch {
    return undefined;
  }
  let session: Session | undefined;
  return () =>
    new Promise<void>((resolve) => {
      const plain = () => {
        const broken = session;
        session = undefined;
        // Not from inside the session's own callback: that leaves the thread unable to exit.
        if (broken) setImmediate(() => tryDisconnect(broken));
        fallback?.();
        resolve();
      };
      try {
        if (!session) {
          session = new SessionClass();
          session.connect();
        }
        session.post('HeapProfiler.collectGarbage', (err) => (err ? plain() : resolve()));
      } catch {
        plain();
      }
    });
}

function tryDisconnect(session: Session): void {
  try {
    session.disconnect();
  } catch {
    /* already closed */
  }
}

/**
 * Growth worth a collection in a worker thread (4 MiB): their heaps are small (8-15 MiB), so
 * the main thread's 16 MiB would never be reached, and collecting them takes a few ms.
 */
export const WORKER_MIN_GROWTH_BYTES = 4 * 1024 * 1024;

/**
 * Starts an IdleCollector on this thread's own heap and event loop (the main thread or a
 * worker: each isolate has its own heap), on real time; undefined where gc cannot be had.
 * Its timer is unref'd: it keeps no thread alive.
 */
export function collectWhenIdle(clock: Clock, opts: IdleCollectorOptions = {}): IdleCollector | undefined {
  const deps = nodeMemory(clock);
  if (!deps) return undefined;
  const c = new IdleCollector(deps, opts);
  c.start();
  return c;
}
