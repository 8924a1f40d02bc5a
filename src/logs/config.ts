import { z } from 'zod';
import { duration } from '../model/schema.js';
import { detectorsSchema } from './detect/config.js';
import { fileSourcesSchema } from './sources/config.js';

/** `logs:` in vigil.yml — the log store's retention and redaction rules. */
export const logsConfigSchema = z
  .strictObject({
    /** Lines older than this are deleted (whole chunks). */
    retention: duration().default(7 * 24 * 3600_000),
    /** Total compressed bytes kept; the oldest chunks go first. Absent: no size limit. */
    max_bytes: z.number().int().positive().optional(),
    /** Extra redaction rules, applied with the built-in ones before anything is stored. */
    redaction: z
      .strictObject({
        builtins: z.boolean().default(true),
        rules: z
          .array(z.strictObject({ name: z.string().min(1), regex: z.string().min(1), replacement: z.string().optional() }))
          .default([]),
        /** Field names whose values are always redacted (in JSON/logfmt lines and fields). */
        secret_fields: z.array(z.string().min(1)).optional(),
      })
      .prefault({}),
    /**
     * A log push whose stream labels break these is refused with 400 (Loki's limits of the same
     * names, with Loki's defaults; UTF-8 bytes). 0 = no limit.
     */
    max_label_name_length: z.number().int().nonnegative().default(1024),
    max_label_value_length: z.number().int().nonnegative().default(2048),
    max_label_names_per_series: z.number().int().nonnegative().default(15),
    /** Most lines an ingest endpoint holds in flight before answering 429. */
    max_pending_lines: z.number().int().positive().default(100_000),
    /**
     * Parse, redact and mine in a worker thread, beside the store's work on the main thread.
     * Default: on when the machine has more than one CPU.
     */
    worker_thread: z.boolean().optional(),
    /** Files to follow (globs), with rotation and truncation handled. See docs/log-ingest.md. */
    sources: fileSourcesSchema.default([]),
    /** Detectors that turn what logs say into alerts. See docs/log-ingest.md. */
    detectors: detectorsSchema.prefault({}),
    /** What one LogQL query (Loki API, `vigil logs query`, the trace view) may cost. See docs/limits.md. */
    query: z
      .strictObject({
        /** A query running longer stops and answers 504. Loki's default is 1m. */
        timeout: duration().default(60_000),
        /** Most lines a log query may ask for (`limit`); more is a 400. Loki's max_entries_limit_per_query. */
        max_entries_limit: z.number().int().positive().default(5000),
        /** Most steps per series of a metric range query; more is a 400. Loki's and Prometheus's 11,000. */
        max_points_per_series: z.number().int().positive().default(11_000),
        /** Longest span a query may cover, its [range] included; longer is a 400. Loki's max_query_length. */
        max_query_length: duration().default(721 * 3600_000),
        /** Most series a metric query may return; more is a 400. Loki's max_query_series. */
        max_series: z.number().int().positive().default(500),
        /** Most lines a metric query may read into its range aggregations; more is a 400. */
        max_samples: z.number().int().positive().default(5_000_000),
      })
      .prefault({}),
  })
  .prefault({});

export type LogsConfig = z.output<typeof logsConfigSchema>;
