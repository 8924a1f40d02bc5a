import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Alert } from '../model/alert.js';
import type { Clock } from '../model/clock.js';
import { fingerprint } from '../model/labels.js';
import type { Appendable } from '../storage/index.js';
import type { LogInput, LogStore, Redactor } from '../logs/index.js';
import { Miner } from '../logs/mining/index.js';
import { LogMetrics } from '../logs/log-metrics.js';
import { DetectorSet, buildDetectors, entryFromInput } from '../logs/detect/registry.js';
import { toAlert } from '../logs/detect/types.js';
import type { DetectorEntry } from '../logs/detect/types.js';
import type { DetectorsConfig } from '../logs/detect/config.js';
import { FileSource, JsonPositionStore } from '../logs/sources/file-tail.js';
import type { FileSourceConfig } from '../logs/sources/config.js';
import { LogIngestor } from '../ingest/log-ingest.js';
import type { Logger } from './logger.js';

export interface LogsRuntimeOptions {
  readonly dir: string;
  readonly store: LogStore;
  readonly redactor: Redactor;
  readonly clock: Clock;
  readonly sink: Appendable;
  readonly logger: Logger;
  readonly maxPendingLines: number;
  readonly detectors: DetectorsConfig;
  readonly sources: readonly FileSourceConfig[];
  /** Detector alerts that fire or resolve. */
  readonly onAlert: (ev: { kind: 'firing' | 'resolved'; alert: Alert }) => Promise<void>;
}

const MAX_MINERS = 200;
const NO_PATTERN = { patternId: '', template: '' };

/**
 * Everything that happens to a log line after it is durable: template mining per service,
 * log metrics as samples, and detectors whose alerts join the alert pipeline. Also runs the
 * file sources. Miner state is saved on stop and every few minutes, so patterns keep their
 * ids across restarts.
 */
export class LogsRuntime {
  readonly ingestor: LogIngestor;
  private readonly miners = new Map<string, Miner>();
  private readonly metrics: LogMetrics;
  private readonly detectors: DetectorSet;
  private readonly files: FileSource | undefined;
  private readonly firing = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private saveTimer: ReturnType<typeof setInterval> | undefined;
  private ticking: Promise<void> = Promise.resolve();

  constructor(private readonly opts: LogsRuntimeOptions) {
    this.metrics = new LogMetrics({ sink: opts.sink, clock: opts.clock, onError: (err) => opts.logger.warn({ err }, 'writing log metrics failed') });
    this.detectors = new DetectorSet(buildDetectors(opts.detectors), (err, d) => opts.logger.warn({ err, detector: d }, 'log detector failed'));
    this.ingestor = new LogIngestor({
      store: opts.store,
      redactor: opts.redactor,
      maxPendingLines: opts.maxPendingLines,
      onAccepted: (inputs) => this.accepted(inputs),
      onError: (err) => opts.logger.warn({ err }, 'log post-processing failed'),
    });
    this.files = opts.sources.length
      ? new FileSource({
          sources: opts.sources,
          positions: new JsonPositionStore(join(opts.dir, 'file-positions.json')),
          sink: async (inputs) => {
            await this.ingestor.ingest(inputs);
          },
          clock: opts.clock,
          onError: (err, where) => opts.logger.warn({ err, where }, 'file source error'),
        })
      : undefined;
  }

  private minerFor(service: string): Miner {
    let m = this.miners.get(service);
    if (!m) {
      if (this.miners.size >= MAX_MINERS) service = '__other__';
      m = this.miners.get(service) ?? new Miner({ now: () => this.opts.clock.now() });
      this.miners.set(service, m);
    }
    return m;
  }

  private accepted(inputs: readonly LogInput[]): void {
    let lastService: string | undefined;
    let miner: Miner | undefined;
    for (const input of inputs) {
      const entry = entryFromInput(input, NO_PATTERN) as { -readonly [K in keyof DetectorEntry]: DetectorEntry[K] };
      if (entry.service !== lastService || !miner) {
        miner = this.minerFor(entry.service);
        lastService = entry.service;
      }
      const mined = miner.add(entry.message, input.t);
      entry.patternId = mined.patternId;
      entry.template = mined.template;
      this.metrics.observe(entry.service, entry.level || 'unknown', mined.patternId);
      this.detectors.observe(entry);
    }
  }

  /** Patterns of a service (or every service), most frequent first. */
  patterns(service?: string) {
    const out = [];
    for (const [svc, m] of this.miners) {
      if (service && svc !== service) continue;
      for (const p of m.patterns()) out.push({ service: svc, ...p });
    }
    return out.sort((a, b) => b.count - a.count);
  }

  async start(): Promise<void> {
    await this.loadMiners();
    this.metrics.start();
    await this.files?.start();
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick());
    }, 10_000);
    this.timer.unref();
    this.saveTimer = setInterval(() => void this.saveMiners(), 5 * 60_000);
    this.saveTimer.unref();
  }

  /** Reports detector alerts: new ones fire, vanished ones resolve. */
  async tick(): Promise<void> {
    const now = this.opts.clock.now();
    for (const d of this.detectors.tick(now)) {
      const alert = toAlert(d, now);
      const fp = fingerprint(alert.labels);
      const resolved = alert.endsAt !== 0 && alert.endsAt <= now;
      if (resolved && !this.firing.has(fp)) continue;
      if (!resolved) this.firing.add(fp);
      else this.firing.delete(fp);
      try {
        await this.opts.onAlert({ kind: resolved ? 'resolved' : 'firing', alert });
      } catch (err) {
        this.opts.logger.error({ err }, 'log detector alert handling failed');
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.saveTimer) clearInterval(this.saveTimer);
    await this.files?.stop();
    await this.ticking;
    await this.metrics.stop();
    await this.saveMiners();
  }

  private get minerFile(): string {
    return join(this.opts.dir, 'patterns.json');
  }

  private async loadMiners(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.minerFile, 'utf8');
    } catch {
      return;
    }
    try {
      const all = JSON.parse(text) as Record<string, unknown>;
      for (const [svc, snap] of Object.entries(all)) this.miners.set(svc, Miner.restore(snap as never, { now: () => this.opts.clock.now() }));
    } catch (err) {
      this.opts.logger.warn({ err, file: this.minerFile }, 'saved log patterns unreadable; starting afresh');
    }
  }

  private async saveMiners(): Promise<void> {
    try {
      await mkdir(this.opts.dir, { recursive: true });
      const all: Record<string, unknown> = {};
      for (const [svc, m] of this.miners) all[svc] = m.snapshot();
      await writeFile(`${this.minerFile}.tmp`, JSON.stringify(all));
      await rename(`${this.minerFile}.tmp`, this.minerFile);
    } catch (err) {
      this.opts.logger.warn({ err }, 'saving log patterns failed');
    }
  }
}
