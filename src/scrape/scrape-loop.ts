import { briefLabels, labelLimitProblem, type LabelLimits } from '../model/label-limits.js';
import type { Clock, TimerHandle } from '../model/clock.js';
import { fingerprint, type Labels } from '../model/labels.js';
import { staleNaN } from '../model/sample.js';
import type { Appendable, Appender } from '../storage/appender.js';
import type { ScrapeConfig } from './config.js';
import type { ParsedSample } from './exposition.js';
import { fetchTarget, type FetchFn } from './fetch-target.js';
import { relabel } from './relabel.js';
import type { Target } from './target.js';

export type TargetHealth = 'up' | 'down' | 'unknown';

export interface LoopDeps {
  readonly appendable: Appendable;
  readonly clock: Clock;
  readonly fetch: FetchFn;
  readonly userAgent: string;
  /** Label limits of a job that sets none of its own (the store's). */
  readonly labelLimits: LabelLimits;
}

/** A job's label limits: its own label_limit / label_name_length_limit / label_value_length_limit, else `defaults`. */
export function scrapeLabelLimits(cfg: ScrapeConfig, defaults: LabelLimits): LabelLimits {
  return {
    maxLabels: cfg.label_limit ?? defaults.maxLabels,
    maxNameLength: cfg.label_name_length_limit ?? defaults.maxNameLength,
    maxValueLength: cfg.label_value_length_limit ?? defaults.maxValueLength,
  };
}

const SCRAPE_LIMIT_KEYS = { count: 'label_limit', name: 'label_name_length_limit', value: 'label_value_length_limit' };

/**
 * The labels a scraped series is stored under: target labels attached with honor_labels
 * semantics (without it, a clashing exposed label is kept as `exported_<name>`), then
 * metric_relabel_configs. Undefined when relabeling drops the series.
 */
export function seriesLabels(exposed: Labels, target: Labels, cfg: ScrapeConfig): Labels | undefined {
  const lb: Record<string, string> = { ...exposed };
  if (cfg.honor_labels) {
    for (const [k, v] of Object.entries(target)) if (!lb[k]) lb[k] = v;
  } else {
    const conflicts: Array<[string, string]> = [];
    for (const [k, v] of Object.entries(target)) {
      const existing = lb[k];
      if (existing) conflicts.push([k, existing]);
      lb[k] = v;
    }
    for (const [k, v] of conflicts) {
      let name = `exported_${k}`;
      while (lb[name]) name = `exported_${name}`;
      lb[name] = v;
    }
  }
  for (const k of Object.keys(lb)) if (lb[k] === '') delete lb[k];
  return cfg.metric_relabel_configs.length === 0 ? lb : relabel(lb, cfg.metric_relabel_configs);
}

/** Why an append was refused: the error's `reason`/`code` if it has one, else its name. */
export function rejectionReason(e: unknown): string {
  const o = e as { reason?: unknown; code?: unknown; name?: unknown } | null;
  for (const v of [o?.reason, o?.code, o?.name]) if (typeof v === 'string' && v !== '') return v;
  return 'error';
}

/**
 * Scrapes one target every scrape_interval at a fixed per-target offset (a tick that comes
 * while the previous scrape still runs is skipped, like Prometheus's ticker). Appends the
 * samples, the report series (up, scrape_*) and staleness markers; a throw from append()
 * rejects that one sample and is counted, it never fails the scrape.
 */
export class ScrapeLoop {
  health: TargetHealth = 'unknown';
  lastError = '';
  lastScrape: number | undefined;
  /** Seconds. */
  lastScrapeDuration = 0;
  readonly rejected: Record<string, number> = {};
  /** Series of the last scrape that carry no explicit timestamp: they go stale when they vanish. */
  private previous = new Map<string, Labels>();
  private timer: TimerHandle | undefined;
  private inflight: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private stopped = false;

  constructor(
    readonly target: Target,
    readonly cfg: ScrapeConfig,
    private readonly deps: LoopDeps,
  ) {}

  /** Schedules the first scrape `offset` ms from now, then one every interval. */
  start(offset: number): void {
    const first = this.deps.clock.now() + offset;
    this.schedule(first);
  }

  private schedule(due: number): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimeout(() => this.tick(due), Math.max(0, due - this.deps.clock.now()));
  }

  private tick(due: number): void {
    this.schedule(due + this.cfg.scrape_interval);
    if (this.inflight) return;
    this.inflight = this.scrapeOnce().finally(() => {
      this.inflight = undefined;
    });
  }

  /** Resolves when no scrape is running (tests and shutdown use it). */
  async settle(): Promise<void> {
    while (this.inflight) await this.inflight;
  }

  /** Runs one scrape now and appends its results. Never throws. */
  async scrapeOnce(): Promise<void> {
    const { clock } = this.deps;
    const ts = clock.now();
    this.abort = new AbortController();
    let samples: ParsedSample[] | undefined;
    let error: string | undefined;
    try {
      const parsed = await fetchTarget(this.target.url, this.cfg, clock, this.deps.fetch, this.deps.userAgent, this.abort.signal);
      samples = parsed.samples;
    } catch (e) {
      error = (e as Error).message;
    }
    this.abort = undefined;
    if (this.stopped) return;
    const duration = (clock.now() - ts) / 1000;
    const app = this.deps.appendable.appender();
    const current = new Map<string, Labels>();
    let postRelabel = 0;
    let added = 0;
    // As Prometheus: a series over the job's label limits fails the whole scrape (its samples
    // are not stored, up = 0, and the last scrape's series go stale).
    const stored: Array<[ParsedSample, Labels]> = [];
    if (samples) {
      const limits = scrapeLabelLimits(this.cfg, this.deps.labelLimits);
      for (const s of samples) {
        const labels = seriesLabels(s.labels, this.target.labels, this.cfg);
        if (!labels) continue;
        const problem = labelLimitProblem(labels, limits, SCRAPE_LIMIT_KEYS);
        if (problem !== undefined) {
          error = `series ${briefLabels(labels)}: ${problem}`;
          stored.length = 0;
          break;
        }
        stored.push([s, labels]);
      }
    }
    for (const [s, labels] of stored) {
      postRelabel++;
      const explicit = this.cfg.honor_timestamps && s.timestamp !== undefined;
      const key = fingerprint(labels);
      if (!explicit) {
        if (!this.previous.has(key) && !current.has(key)) added++;
        current.set(key, labels);
      }
      this.append(app, labels, explicit ? (s.timestamp as number) : ts, s.value);
    }
    for (const [key, labels] of this.previous) if (!current.has(key)) this.append(app, labels, ts, staleNaN());
    this.previous = current;
    const t = this.target.labels;
    const report: Array<[string, number]> = [
      ['up', error === undefined ? 1 : 0],
      ['scrape_duration_seconds', duration],
      ['scrape_samples_scraped', samples?.length ?? 0],
      ['scrape_samples_post_metric_relabeling', postRelabel],
      ['scrape_series_added', added],
    ];
    for (const [name, v] of report) this.append(app, { ...t, __name__: name }, ts, v);
    try {
      await app.commit();
    } catch (e) {
      error ??= `committing the scrape failed: ${(e as Error).message}`;
    }
    this.health = error === undefined ? 'up' : 'down';
    this.lastError = error ?? '';
    this.lastScrape = ts;
    this.lastScrapeDuration = duration;
  }

  private append(app: Appender, labels: Labels, t: number, v: number): void {
    try {
      app.append(labels, t, v);
    } catch (e) {
      const reason = rejectionReason(e);
      this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
    }
  }

  /**
   * Stops scraping and marks every series this target wrote (its samples and report
   * series) stale, as Prometheus does when a target disappears.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.abort?.abort();
    await this.settle();
    if (this.lastScrape === undefined) return;
    const ts = Math.max(this.deps.clock.now(), this.lastScrape + 1);
    const app = this.deps.appendable.appender();
    for (const labels of this.previous.values()) this.append(app, labels, ts, staleNaN());
    for (const name of ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added']) {
      this.append(app, { ...this.target.labels, __name__: name }, ts, staleNaN());
    }
    this.previous.clear();
    try {
      await app.commit();
    } catch {
      // The store is going away or refusing writes; nothing more a stopping loop can do.
    }
  }
}
