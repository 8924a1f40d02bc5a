import { METRIC_LABEL_LIMITS, type LabelLimits } from '../model/label-limits.js';
import type { Clock } from '../model/clock.js';
import { fingerprint, type Labels } from '../model/labels.js';
import type { Appendable } from '../storage/appender.js';
import type { ScrapeConfig } from './config.js';
import type { FetchFn } from './fetch-target.js';
import { ScrapeLoop, type TargetHealth } from './scrape-loop.js';
import { buildTargets, type Target } from './target.js';

export interface ScrapeManagerOptions {
  readonly appendable: Appendable;
  readonly clock: Clock;
  readonly configs: readonly ScrapeConfig[];
  /** Defaults to the global fetch. */
  readonly fetch?: FetchFn;
  readonly userAgent?: string;
  /** Mixed into every target's offset so replicas scraping the same targets spread out. */
  readonly jitterSeed?: string;
  /** Label limits of jobs that set none (default: the store's defaults, Mimir's). */
  readonly labelLimits?: LabelLimits;
}

/** A target as the API shows it (shaped after Prometheus's /api/v1/targets). */
export interface TargetStatus {
  readonly job: string;
  readonly url: string;
  readonly labels: Labels;
  readonly discoveredLabels: Labels;
  readonly health: TargetHealth;
  readonly lastError: string;
  /** ms since the epoch of the last scrape's start; undefined before the first. */
  readonly lastScrape: number | undefined;
  /** Seconds. */
  readonly lastScrapeDuration: number;
  /** ms */
  readonly scrapeInterval: number;
  /** ms */
  readonly scrapeTimeout: number;
  /** Samples the store refused, by reason, since the target appeared. */
  readonly rejectedSamples: Readonly<Record<string, number>>;
}

/**
 * A spread of first scrapes over the interval that is stable for a target: the target's
 * hash modulo the interval, aligned to the interval's wall-clock grid (Prometheus's offset).
 */
export function scrapeOffset(key: string, interval: number, now: number): number {
  const h = Number(BigInt(`0x${fingerprint({ key })}`) % BigInt(interval));
  const base = interval - (now % interval);
  return (h + base) % interval;
}

function configKey(cfg: ScrapeConfig): string {
  return JSON.stringify(cfg, (k, v: unknown) => (k === 'regex' ? undefined : v));
}

/**
 * Runs one scrape loop per target of every scrape config. update() swaps in new configs and
 * restarts only the loops whose target or job config changed; a loop that goes away marks
 * its series stale.
 */
export class ScrapeManager {
  private loops = new Map<string, { loop: ScrapeLoop; configKey: string }>();
  private configs: readonly ScrapeConfig[];
  private running = false;

  constructor(private readonly opts: ScrapeManagerOptions) {
    this.configs = opts.configs;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.sync();
  }

  /** Stops every loop and writes their staleness markers. */
  async stop(): Promise<void> {
    this.running = false;
    const loops = [...this.loops.values()];
    this.loops.clear();
    await Promise.all(loops.map((l) => l.loop.stop()));
  }

  async update(configs: readonly ScrapeConfig[]): Promise<void> {
    this.configs = configs;
    if (this.running) await this.sync();
  }

  /** Resolves once no scrape is in flight. */
  async settle(): Promise<void> {
    await Promise.all([...this.loops.values()].map((l) => l.loop.settle()));
  }

  targets(): TargetStatus[] {
    return [...this.loops.values()].map(({ loop }) => ({
      job: loop.target.job,
      url: loop.target.url,
      labels: loop.target.labels,
      discoveredLabels: loop.target.discoveredLabels,
      health: loop.health,
      lastError: loop.lastError,
      lastScrape: loop.lastScrape,
      lastScrapeDuration: loop.lastScrapeDuration,
      scrapeInterval: loop.cfg.scrape_interval,
      scrapeTimeout: loop.cfg.scrape_timeout,
      rejectedSamples: { ...loop.rejected },
    }));
  }

  private sync(): Promise<void> {
    const wanted = new Map<string, { target: Target; cfg: ScrapeConfig; configKey: string }>();
    for (const cfg of this.configs) {
      const ck = configKey(cfg);
      for (const target of buildTargets(cfg)) {
        wanted.set(`${cfg.job_name}\u0000${target.url}\u0000${fingerprint(target.labels)}`, { target, cfg, configKey: ck });
      }
    }
    const stopping: Array<Promise<void>> = [];
    for (const [key, entry] of this.loops) {
      const w = wanted.get(key);
      if (w && w.configKey === entry.configKey) continue;
      this.loops.delete(key);
      stopping.push(entry.loop.stop());
    }
    const deps = {
      appendable: this.opts.appendable,
      clock: this.opts.clock,
      fetch: this.opts.fetch ?? globalThis.fetch,
      userAgent: this.opts.userAgent ?? 'Vigil',
      labelLimits: this.opts.labelLimits ?? METRIC_LABEL_LIMITS,
    };
    for (const [key, w] of wanted) {
      if (this.loops.has(key)) continue;
      const loop = new ScrapeLoop(w.target, w.cfg, deps);
      this.loops.set(key, { loop, configKey: w.configKey });
      loop.start(scrapeOffset(`${this.opts.jitterSeed ?? ''}${key}`, w.cfg.scrape_interval, this.opts.clock.now()));
    }
    return Promise.all(stopping).then(() => undefined);
  }
}
