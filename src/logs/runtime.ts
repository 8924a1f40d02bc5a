import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { AlertIntake } from '../model/alert.js';
import type { Clock } from '../model/clock.js';
import type { Log } from '../model/log.js';
import type { Appendable } from '../storage/index.js';
import { InlineLineProcessor, WorkerLineProcessor } from './line-worker.js';
import type { AsyncLineProcessor } from './line-worker.js';
import type { LineMeta, ServicePattern } from './line-processor.js';
import type { LogInput } from './types.js';
import type { Redactor } from './redact.js';
import { LogMetrics } from './log-metrics.js';
import { DetectorSet, buildDetectors } from './detect/registry.js';
import { toAlert } from './detect/types.js';
import type { DetectorsConfig } from './detect/config.js';
import { FileSource, JsonPositionStore } from './sources/file-tail.js';
import type { FileSourceConfig } from './sources/config.js';

export interface LogsRuntimeOptions {
  readonly dir: string;
  readonly redactor: Redactor;
  readonly clock: Clock;
  readonly sink: Appendable;
  readonly logger: Log;
  readonly maxPendingLines: number;
  readonly detectors: DetectorsConfig;
  readonly sources: readonly FileSourceConfig[];
  /**
   * Parse, redact and mine in a worker thread, overlapping the store's work on this one
   * (default: when the machine has more than one CPU).
   */
  readonly workerThread?: boolean;
  /** The alert pipeline's intake: detector alerts go there. */
  readonly intake: AlertIntake;
  /** Where file sources send the lines they read (the log ingestor, which calls accepted() back). */
  readonly ingest: (inputs: LogInput[]) => Promise<unknown>;
}


const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The log pipeline behind the store: per-line work (parse, redact, template mining per
 * service) in a worker thread when the machine has a spare CPU, then, once a batch is
 * durable, log metrics as samples and detectors whose alerts join the alert pipeline. Also
 * runs the file sources. Miner state is saved on stop and every few minutes, so patterns
 * keep their ids across restarts.
 */
export class LogsRuntime {
  readonly processor: AsyncLineProcessor;
  private readonly metrics: LogMetrics;
  private readonly detectors: DetectorSet;
  private readonly files: FileSource | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private saveTimer: ReturnType<typeof setInterval> | undefined;
  private ticking: Promise<void> = Promise.resolve();

  constructor(private readonly opts: LogsRuntimeOptions) {
    this.metrics = new LogMetrics({ sink: opts.sink, clock: opts.clock, onError: (err) => opts.logger.warn({ err }, 'writing log metrics failed') });
    this.detectors = new DetectorSet(buildDetectors(opts.detectors), (err, d) => opts.logger.warn({ err, detector: d }, 'log detector failed'));
    const threaded = opts.workerThread ?? availableParallelism() > 1;
    this.processor = threaded
      ? new WorkerLineProcessor({ redactor: opts.redactor }, (err) => {
          opts.logger.error({ err }, 'log worker thread failed; restarting it with the last saved patterns');
          void this.loadMiners();
        })
      : new InlineLineProcessor({ redactor: opts.redactor, now: () => opts.clock.now() });
    this.files = opts.sources.length
      ? new FileSource({
          sources: opts.sources,
          positions: new JsonPositionStore(join(opts.dir, 'file-positions.json')),
          sink: async (inputs) => {
            await opts.ingest(inputs);
          },
          clock: opts.clock,
          onError: (err, where) => opts.logger.warn({ err, where }, 'file source error'),
        })
      : undefined;
  }

  /** The ingestor's onAccepted: lines durable in the store feed log metrics and detectors. */
  accepted(inputs: readonly LogInput[], meta: readonly LineMeta[]): void {
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const m = meta[i]!;
      this.metrics.observe(m.service, m.level || 'unknown', m.patternId);
      this.detectors.observe({
        t: input.t, service: m.service, level: m.level, patternId: m.patternId, template: m.template,
        line: input.line, message: m.message, fields: input.fields ?? NO_FIELDS,
      });
    }
  }

  /** Patterns of a service (or every service), most frequent first. */
  patterns(service?: string): Promise<ServicePattern[]> {
    return this.processor.patterns(service);
  }

  async start(): Promise<void> {
    await this.loadMiners();
    await this.loadDetectors();
    this.metrics.start();
    await this.files?.start();
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick());
    }, 10_000);
    this.timer.unref();
    this.saveTimer = setInterval(() => void this.saveState(), 5 * 60_000);
    this.saveTimer.unref();
  }

  /** Reports detector alerts to the pipeline: firing ones (endsAt ahead) and those that just resolved. */
  async tick(): Promise<void> {
    const now = this.opts.clock.now();
    const alerts = this.detectors.tick(now).map((d) => toAlert(d, now));
    if (alerts.length === 0) return;
    try {
      await this.opts.intake(alerts, { name: 'logs' });
    } catch (err) {
      this.opts.logger.error({ err }, 'log detector alert handling failed');
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.saveTimer) clearInterval(this.saveTimer);
    await this.files?.stop();
    await this.ticking;
    await this.metrics.stop();
    await this.saveState();
    await this.processor.close();
  }

  private get minerFile(): string {
    return join(this.opts.dir, 'patterns.json');
  }

  private loadMiners(): Promise<void> {
    return this.loadState(this.minerFile, 'saved log patterns unreadable; starting afresh', (all) => this.processor.restore(all));
  }

  private get detectorFile(): string {
    return join(this.opts.dir, 'detectors.json');
  }

  /** Detector baselines (seen patterns, known login IPs, rate history) survive restarts. */
  private loadDetectors(): Promise<void> {
    return this.loadState(this.detectorFile, 'saved detector baselines unreadable; learning afresh', async (all) => this.detectors.restore(all));
  }

  /** Hands a saved JSON object to `restore`; no file: nothing to do; an unreadable one is logged and skipped. */
  private async loadState(file: string, unreadable: string, restore: (all: Record<string, unknown>) => Promise<void>): Promise<void> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return;
    }
    try {
      await restore(JSON.parse(text) as Record<string, unknown>);
    } catch (err) {
      this.opts.logger.warn({ err, file }, unreadable);
    }
  }

  private async saveState(): Promise<void> {
    await this.saveMiners();
    try {
      await writeFileAtomic(this.detectorFile, JSON.stringify(this.detectors.snapshot()));
    } catch (err) {
      this.opts.logger.warn({ err }, 'saving detector baselines failed');
    }
  }

  private async saveMiners(): Promise<void> {
    try {
      await writeFileAtomic(this.minerFile, JSON.stringify(await this.processor.snapshot()));
    } catch (err) {
      this.opts.logger.warn({ err }, 'saving log patterns failed');
    }
  }
}

async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}
