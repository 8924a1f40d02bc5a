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
    /** A query running longer fails with errorType "timeout". */
    query_timeout: duration().default(120_000),
    /** A query loading more samples at once fails with errorType "execution". */
    max_samples: z.number().int().positive().default(50_000_000),
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
