import { z } from 'zod';
import { duration } from '../model/schema.js';

/** `metrics:` — the embedded metrics store and the PromQL engine's limits. */
export const metricsConfigSchema = z
  .strictObject({
    /** Samples older than this are deleted (whole blocks). Prometheus's default is 15d. */
    retention: duration().default(15 * 24 * 3600_000),
    /** Bytes of blocks kept on disk; the oldest go first. Absent: no size limit. */
    max_bytes: z.number().int().positive().optional(),
    /**
     * Samples timestamped later than the server's clock plus this are refused (remote-write
     * answers 400 naming the series and timestamp; scrapes, probes and log metrics count them as
     * rejected), as Mimir's creation_grace_period. 0 turns the check off.
     */
    creation_grace_period: duration().default(10 * 60_000),
    /**
     * A new series with a longer label name or value (UTF-8 bytes) or more labels is refused
     * (remote-write: 400; scrape: the scrape fails unless its job sets its own label limits),
     * as Mimir's limits of the same names, with Mimir's defaults. 0 = no limit.
     */
    max_label_name_length: z.number().int().nonnegative().default(1024),
    max_label_value_length: z.number().int().nonnegative().default(2048),
    max_label_names_per_series: z.number().int().nonnegative().default(30),
    /** A query running longer fails with errorType "timeout" (its work stops at the next check). */
    query_timeout: duration().default(120_000),
    /**
     * A query holding more evaluated samples at once fails with errorType "execution" (422).
     * Prometheus's default is 50,000,000; Vigil's points cost more memory and share the heap with
     * ingest, hence 1,000,000 (docs/limits.md).
     */
    max_samples: z.number().int().positive().default(1_000_000),
    /** A query whose selectors would read more samples from storage fails with "execution" (422), before decoding them. */
    max_fetched_samples: z.number().int().positive().default(20_000_000),
    /**
     * A query whose evaluation would go through more samples in total (selectors and range functions
     * visiting a series at a step, operators producing a point) fails with "execution" (422): a bound
     * on the CPU of one query, where max_samples bounds its memory.
     */
    max_total_samples: z.number().int().positive().default(20_000_000),
    /** A range query with more steps per series is refused with "bad_data" (400), as Prometheus's 11,000. */
    max_points_per_series: z.number().int().positive().default(11_000),
    /** A subquery evaluating its expression at more steps is refused with "bad_data" (400) before any work. */
    max_subquery_steps: z.number().int().positive().default(200_000),
    /** Queries evaluated at once; the others wait their turn within query_timeout. */
    max_concurrent_queries: z.number().int().positive().default(4),
    /**
     * When a write is acknowledged: `commit` (default) after fdatasync, so it survives power
     * loss; a duration such as `1s`: once in the WAL file (it survives a crash of Vigil, as
     * Prometheus's WAL does), with fdatasync at most that long after.
     */
    wal_sync: z.union([z.literal('commit'), duration()]).default('commit'),
    /**
     * Decode remote-write requests (snappy, protobuf, label sets) in a worker thread, beside the
     * store's work on the main thread. Default: when the machine has more than one CPU.
     */
    worker_thread: z.boolean().optional(),
    /**
     * The remote-write decoder worker is stopped after this long without a request, giving its
     * V8 isolate's memory (grown by big bodies) back; the next request starts a new one. `0s` keeps it.
     */
    worker_idle_stop: duration().default(30_000),
    /** How far back an instant vector selector looks for a sample. */
    lookback_delta: duration().default(300_000),
    /**
     * Answer PromQL from a remote Prometheus-compatible API (Prometheus, VictoriaMetrics,
     * Mimir, Thanos) instead of the embedded store. Vigil still writes its own samples locally.
     */
    query_remote: z
      .strictObject({
        url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
        headers: z.record(z.string().min(1), z.string()).default({}),
        timeout: duration().default(120_000),
      })
      .optional(),
  })
  .prefault({});

export type MetricsConfig = z.output<typeof metricsConfigSchema>;
