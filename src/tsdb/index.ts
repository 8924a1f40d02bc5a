import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock, type TimerHandle } from '../model/clock.js';
import { METRIC_LABEL_LIMITS, type LabelLimits } from '../model/label-limits.js';
import type { Appendable } from '../storage/appender.js';
import type { Querier, Queryable } from '../storage/querier.js';
import { Block } from './block.js';
import { mergeBlocks, persistHead, planHeadCompaction, planMerge } from './compact.js';
import { REJECT_REASONS, type RejectReason } from './errors.js';
import { Head } from './head.js';
import { HeadAppender, type AppendCounters } from './head-append.js';
import { encodeCheckpoint, HeadReplayer } from './head-wal.js';
import { TsdbQuerier } from './querier.js';
import { replayWal, WalWriter, type WalLogger } from './wal.js';

export { StorageError, CorruptionError, type RejectReason } from './errors.js';
export type { CommitResult } from './head-append.js';
export type { HeadAppender as TsdbAppender } from './head-append.js';
export type { BlockMeta } from './block-writer.js';
export type { WalLogger } from './wal.js';

const HOUR = 3_600_000;

export interface TsdbOptions {
  /** Blocks whose newest sample is older than this (relative to the newest data) are deleted. 0/absent = keep. */
  retentionMs?: number;
  /** Oldest blocks are deleted until blocks + WAL fit. 0/absent = no limit. */
  retentionBytes?: number;
  /** Time span of a block cut from the head (default 2h); merged blocks span 3^n times this. */
  blockRangeMs?: number;
  /** How often the background loop compacts and applies retention (default 1 min; 0 = only on compact()). */
  compactIntervalMs?: number;
  /** WAL segment size before rolling to a new file (default 32 MiB). */
  walSegmentBytes?: number;
  /**
   * When commit() resolves. 0 (default): after fdatasync, so a committed sample survives
   * power loss. N > 0: once written to the WAL file (the kernel has it: it survives SIGKILL,
   * as Prometheus's WAL does), with fdatasync at most N ms later.
   */
  walSyncIntervalMs?: number;
  /**
   * Samples later than the clock plus this are refused as too_far_in_future (Mimir's
   * creation_grace_period). Default 10 minutes; 0 turns the check off.
   */
  creationGracePeriodMs?: number;
  /** Refuses new series with longer label names or values or more labels (default: Mimir's 1024 / 2048 / 30 bytes and labels). */
  labelLimits?: LabelLimits;
  clock?: Clock;
  logger?: TsdbLogger;
}

/** Where the store reports what it does: warnings (damaged WAL, failed compaction) and, if given, compaction's work. */
export interface TsdbLogger extends WalLogger {
  info?(message: string): void;
}

export interface TsdbStats {
  series: number;
  samplesAppended: number;
  rejected: Record<RejectReason, number>;
  headChunks: number;
  headMinTime: number | null;
  headMaxTime: number | null;
  blocks: number;
  blockChunks: number;
  blockSamples: number;
  blockBytes: number;
  walBytes: number;
  bytesOnDisk: number;
}

/**
 * Vigil's embedded metrics store: an in-memory head (Gorilla chunks + postings) protected by a
 * write-ahead log, persisted into immutable time blocks, with time and size retention.
 */
export class Tsdb implements Appendable, Queryable {
  private blocks: Block[] = [];
  private readonly counters: AppendCounters = {
    samplesAppended: 0,
    rejected: Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>,
  };
  private compacting: Promise<void> = Promise.resolve();
  private timer: TimerHandle | undefined;
  private syncTimer: ReturnType<typeof setInterval> | undefined;
  private walDirty = false;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly head: Head,
    private wal: WalWriter,
    private readonly opts: Required<Omit<TsdbOptions, 'logger'>> & { logger: TsdbLogger },
  ) {}

  static async open(dir: string, options: TsdbOptions = {}): Promise<Tsdb> {
    const blockRangeMs = options.blockRangeMs ?? 2 * HOUR;
    if (!(blockRangeMs > 0) || !Number.isInteger(blockRangeMs)) {
      throw new RangeError(`tsdb ${dir}: blockRangeMs must be a positive integer, got ${blockRangeMs}`);
    }
    for (const k of ['retentionMs', 'retentionBytes', 'compactIntervalMs', 'walSyncIntervalMs', 'creationGracePeriodMs'] as const) {
      const v = options[k];
      if (v !== undefined && !(v >= 0)) throw new RangeError(`tsdb ${dir}: ${k} must be >= 0, got ${v}`);
    }
    const opts = {
      retentionMs: options.retentionMs ?? 0,
      retentionBytes: options.retentionBytes ?? 0,
      blockRangeMs,
      compactIntervalMs: options.compactIntervalMs ?? 60_000,
      walSegmentBytes: options.walSegmentBytes ?? 32 * 1024 * 1024,
      walSyncIntervalMs: options.walSyncIntervalMs ?? 0,
      creationGracePeriodMs: options.creationGracePeriodMs ?? 10 * 60_000,
      labelLimits: options.labelLimits ?? METRIC_LABEL_LIMITS,
      clock: options.clock ?? systemClock,
      logger: options.logger ?? { warn: (m: string) => process.emitWarning(m, 'TsdbWarning') },
    };
    await mkdir(dir, { recursive: true });
    const blocks = await loadBlocks(dir);
    const head = new Head(blockRangeMs);
    head.labelLimits = opts.labelLimits;
    head.minValidTime = blocks.reduce((m, b) => Math.max(m, b.maxTime), -Infinity);
    const replayer = new HeadReplayer(head);
    const walDir = join(dir, 'wal');
    const { lastSegment } = await replayWal(walDir, opts.logger, (r, where) => replayer.apply(r, where));
    const wal = await WalWriter.open(walDir, lastSegment, opts.walSegmentBytes);
    const db = new Tsdb(dir, head, wal, opts);
    db.blocks = blocks;
    db.schedule();
    if (opts.walSyncIntervalMs > 0) {
      db.syncTimer = setInterval(() => db.syncIfDirty(), opts.walSyncIntervalMs);
      db.syncTimer.unref();
    }
    return db;
  }

  appender(): HeadAppender {
    if (this.closed) throw new Error(`tsdb ${this.dir}: appender() after close()`);
    const grace = this.opts.creationGracePeriodMs;
    const maxTime = grace > 0 ? this.opts.clock.now() + grace : Infinity;
    return new HeadAppender(this.head, () => this.wal, this.counters, maxTime, this.opts.walSyncIntervalMs > 0 ? this.deferSync : undefined);
  }

  /** Interval mode: a commit marks the WAL dirty instead of waiting for fdatasync. */
  private readonly deferSync = (): Promise<void> => {
    this.walDirty = true;
    return Promise.resolve();
  };

  private syncIfDirty(): void {
    if (!this.walDirty || this.closed) return;
    this.walDirty = false;
    this.wal.sync().catch((e: unknown) => {
      this.walDirty = true;
      this.opts.logger.warn(`tsdb ${this.dir}: WAL fdatasync failed: ${(e as Error).message}`);
    });
  }

  querier(mint: number, maxt: number): Promise<Querier> {
    if (this.closed) return Promise.reject(new Error(`tsdb ${this.dir}: querier() after close()`));
    return Promise.resolve(new TsdbQuerier(this.head, [...this.blocks], mint, maxt));
  }

  stats(): TsdbStats {
    const h = this.head;
    const blockBytes = this.blocks.reduce((n, b) => n + b.sizeBytes, 0);
    return {
      series: h.series.size,
      samplesAppended: this.counters.samplesAppended,
      rejected: { ...this.counters.rejected },
      headChunks: h.chunkCount,
      headMinTime: Number.isFinite(h.minT) ? h.minT : null,
      headMaxTime: Number.isFinite(h.maxT) ? h.maxT : null,
      blocks: this.blocks.length,
      blockChunks: this.blocks.reduce((n, b) => n + b.meta.stats.numChunks, 0),
      blockSamples: this.blocks.reduce((n, b) => n + b.meta.stats.numSamples, 0),
      blockBytes,
      walBytes: this.wal.totalBytes,
      bytesOnDisk: blockBytes + this.wal.totalBytes,
    };
  }

  /** Block metas, oldest first. */
  blockMetas(): Array<Readonly<Block['meta']>> {
    return this.blocks.map((b) => b.meta);
  }

  /**
   * Persists every complete block range of the head, truncates the head and the WAL behind it,
   * merges small blocks and applies retention. Runs one at a time.
   */
  compact(): Promise<void> {
    const run = this.compacting.then(() => this.compactOnce());
    this.compacting = run.catch(() => undefined);
    return run;
  }

  private async compactOnce(): Promise<void> {
    if (this.closed) return;
    const { clock, blockRangeMs } = this.opts;
    let persisted = false;
    for (;;) {
      const range = planHeadCompaction(this.head, blockRangeMs, clock.now());
      if (!range) break;
      const before = this.head.minValidTime;
      this.head.minValidTime = Math.max(before, range.maxTime);
      const started = clock.now();
      let block: Block | undefined;
      try {
        block = await persistHead(this.head, this.dir, range, started);
      } catch (e) {
        this.head.minValidTime = before;
        throw e;
      }
      if (block) this.addBlock(block);
      const removed = this.head.truncate(range.maxTime);
      persisted = true;
      this.info(
        block
          ? `tsdb: head compacted into block ${block.meta.ulid} ${span(block.meta)}: ${block.meta.stats.numSeries} series, ` +
              `${block.meta.stats.numSamples} samples, ${block.meta.stats.numChunks} chunks; head truncated before ${iso(range.maxTime)}, ` +
              `${removed} series left the head`
          : `tsdb: head range ${span(range)} held no samples; head truncated before ${iso(range.maxTime)}`,
      );
    }
    if (persisted) await this.checkpoint();
    const maxRange = Math.max(blockRangeMs, Math.min(31 * 24 * HOUR, this.opts.retentionMs > 0 ? this.opts.retentionMs / 10 : Infinity));
    for (;;) {
      const plans = planMerge(this.blocks, blockRangeMs, maxRange, this.newest());
      if (plans.length === 0) break;
      for (const group of plans) {
        const merged = await mergeBlocks(this.dir, group, clock.now());
        if (merged) this.addBlock(merged);
        this.blocks = this.blocks.filter((b) => !group.includes(b));
        for (const b of group) await b.delete();
        this.info(
          `tsdb: merged ${group.length} blocks (${group.map((b) => b.meta.ulid).join(', ')}) into ` +
            (merged ? `${merged.meta.ulid} ${span(merged.meta)}, level ${merged.meta.compaction.level}` : 'nothing (they held no samples)'),
        );
      }
    }
    await this.applyRetention();
  }

  private info(message: string): void {
    this.opts.logger.info?.(message);
  }

  private addBlock(b: Block): void {
    this.blocks.push(b);
    this.blocks.sort((x, y) => x.minTime - y.minTime);
  }

  /**
   * The time merging and time retention count from: the newest sample stored, but never later
   * than the clock, so one sample far in the future cannot age every block out of retention.
   * (Prometheus counts from the newest block alone.)
   */
  private newest(): number {
    const lastBlock = this.blocks[this.blocks.length - 1];
    const newest = Math.max(Number.isFinite(this.head.maxT) ? this.head.maxT + 1 : -Infinity, lastBlock?.maxTime ?? -Infinity);
    return Math.min(newest, this.opts.clock.now());
  }

  private async applyRetention(): Promise<void> {
    const { retentionMs, retentionBytes } = this.opts;
    if (retentionMs > 0) {
      const newest = this.newest();
      for (const b of [...this.blocks]) {
        if (newest - b.maxTime > retentionMs) await this.dropBlock(b, `older than the retention (${retentionMs} ms before ${iso(newest)})`);
      }
    }
    if (retentionBytes > 0) {
      while (this.blocks.length > 0 && this.stats().bytesOnDisk > retentionBytes) {
        await this.dropBlock(this.blocks[0] as Block, `blocks and WAL take ${this.stats().bytesOnDisk} bytes, over metrics.max_bytes (${retentionBytes})`);
      }
    }
  }

  private async dropBlock(b: Block, why: string): Promise<void> {
    this.blocks = this.blocks.filter((x) => x !== b);
    await b.delete();
    this.info(`tsdb: deleted block ${b.meta.ulid} ${span(b.meta)} (${b.meta.stats.numSamples} samples): ${why}`);
  }

  /** Snapshots the head into a WAL checkpoint and drops the segments it covers. */
  private async checkpoint(): Promise<void> {
    const upTo = this.wal.cut();
    await this.wal.checkpoint(upTo, encodeCheckpoint(this.head));
  }

  private schedule(): void {
    const every = this.opts.compactIntervalMs;
    if (every <= 0 || this.closed) return;
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = undefined;
      this.compact()
        .catch((e: unknown) => this.opts.logger.warn(`tsdb ${this.dir}: compaction failed: ${(e as Error).message}`))
        .finally(() => this.schedule());
    }, every);
  }

  /** Stops background work, checkpoints the head (so reopening skips WAL replay) and closes files. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
    if (this.syncTimer) clearInterval(this.syncTimer);
    await this.compacting;
    this.closed = true;
    await this.wal.sync();
    await this.checkpoint();
    await this.wal.close();
    for (const b of this.blocks) await b.close();
  }
}

function iso(t: number): string {
  return Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? new Date(t).toISOString() : String(t);
}

function span(r: { minTime: number; maxTime: number }): string {
  return `[${iso(r.minTime)}, ${iso(r.maxTime)})`;
}

/** Opens every block in `dir`, removing half-written ones and ones a merged block replaced. */
async function loadBlocks(dir: string): Promise<Block[]> {
  const blocks: Block[] = [];
  for (const name of await readdir(dir)) {
    const p = join(dir, name);
    if (name.endsWith('.tmp')) {
      await rm(p, { recursive: true, force: true });
      continue;
    }
    if (name === 'wal' || !(await stat(p)).isDirectory()) continue;
    blocks.push(await Block.open(p));
  }
  const superseded = blocks.filter((a) =>
    blocks.some(
      (b) => b !== a && b.meta.compaction.level > a.meta.compaction.level && a.meta.compaction.sources.every((s) => b.meta.compaction.sources.includes(s)),
    ),
  );
  for (const b of superseded) await b.delete();
  return blocks.filter((b) => !superseded.includes(b)).sort((x, y) => x.minTime - y.minTime);
}
