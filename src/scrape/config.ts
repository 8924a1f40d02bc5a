import { z } from 'zod';
import { duration, labelsSchema } from '../model/schema.js';
import { authConflict, httpClientShape, type HttpAuthConfig } from './http-config.js';
import { relabelConfigsSchema, type RelabelConfig } from './relabel.js';

/**
 * `scrape_configs:` in vigil.yml: the subset of Prometheus's scrape_config schema Vigil
 * supports, spelled exactly as Prometheus spells it. Unknown keys are errors (a Prometheus key
 * we do not support is reported rather than silently ignored). Durations become milliseconds.
 */

export const DEFAULT_SCRAPE_INTERVAL = 60_000;
export const DEFAULT_SCRAPE_TIMEOUT = 10_000;

/** host:port, as Prometheus requires of a static target (no scheme, no path). */
const targetSchema = z
  .string()
  .regex(/^(?:\[[0-9a-fA-F:.]+\]|[^\s/:[\]]+)(?::\d{1,5})?$/, 'expected a target like host:port (no scheme or path)');

const staticConfigSchema = z.strictObject({
  targets: z.array(targetSchema).default([]),
  labels: labelsSchema.default({}),
});

const scrapeConfigInput = z
  .strictObject({
    job_name: z.string().min(1, 'job_name must not be empty'),
    scrape_interval: duration().optional(),
    scrape_timeout: duration().optional(),
    metrics_path: z.string().startsWith('/', 'metrics_path must start with /').default('/metrics'),
    scheme: z.enum(['http', 'https'], { error: 'scheme must be http or https' }).default('http'),
    params: z.record(z.string(), z.array(z.string())).default({}),
    honor_labels: z.boolean().default(false),
    honor_timestamps: z.boolean().default(true),
    ...httpClientShape,
    static_configs: z.array(staticConfigSchema).default([]),
    relabel_configs: relabelConfigsSchema.default([]),
    metric_relabel_configs: relabelConfigsSchema.default([]),
    /**
     * Prometheus's per-scrape label limits: a scrape with a series over one fails as a whole
     * (up = 0, the reason in the target's lastError). 0 = no limit for this job; absent = the
     * store's metrics.max_label_* limits.
     */
    label_limit: z.number().int().nonnegative().optional(),
    label_name_length_limit: z.number().int().nonnegative().optional(),
    label_value_length_limit: z.number().int().nonnegative().optional(),
  })
  .superRefine((c, ctx) => {
    const conflict = authConflict(c);
    if (conflict) ctx.addIssue({ code: 'custom', message: conflict });
    if (c.scrape_interval !== undefined && c.scrape_interval <= 0) {
      ctx.addIssue({ code: 'custom', path: ['scrape_interval'], message: 'scrape_interval must be greater than 0' });
    }
    const interval = c.scrape_interval ?? DEFAULT_SCRAPE_INTERVAL;
    if (c.scrape_timeout !== undefined && c.scrape_timeout > interval) {
      ctx.addIssue({
        code: 'custom',
        path: ['scrape_timeout'],
        message: `scrape timeout greater than scrape interval for scrape config with job name "${c.job_name}"`,
      });
    }
  });

export interface StaticConfig {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

export interface ScrapeConfig extends HttpAuthConfig {
  readonly job_name: string;
  /** ms */
  readonly scrape_interval: number;
  /** ms; never above scrape_interval */
  readonly scrape_timeout: number;
  readonly metrics_path: string;
  readonly scheme: 'http' | 'https';
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly honor_labels: boolean;
  readonly honor_timestamps: boolean;
  readonly static_configs: readonly StaticConfig[];
  readonly relabel_configs: readonly RelabelConfig[];
  readonly metric_relabel_configs: readonly RelabelConfig[];
  readonly label_limit?: number | undefined;
  readonly label_name_length_limit?: number | undefined;
  readonly label_value_length_limit?: number | undefined;
}

/** One scrape config with Prometheus's global defaults applied (interval 1m, timeout min(10s, interval)). */
export const scrapeConfigSchema = scrapeConfigInput.transform((c): ScrapeConfig => {
  const interval = c.scrape_interval ?? DEFAULT_SCRAPE_INTERVAL;
  return { ...c, scrape_interval: interval, scrape_timeout: c.scrape_timeout ?? Math.min(DEFAULT_SCRAPE_TIMEOUT, interval) };
});

export type ScrapeConfigInput = z.input<typeof scrapeConfigSchema>;

export const scrapeConfigsSchema = z.array(scrapeConfigSchema).superRefine((list, ctx) => {
  const seen = new Map<string, number>();
  list.forEach((c, i) => {
    const first = seen.get(c.job_name);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'job_name'],
        message: `found multiple scrape configs with job name "${c.job_name}" (first at index ${first})`,
      });
    } else seen.set(c.job_name, i);
  });
});
export type ScrapeConfigsInput = z.input<typeof scrapeConfigsSchema>;
