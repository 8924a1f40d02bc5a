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
  })
  .prefault({});

export type LogsConfig = z.output<typeof logsConfigSchema>;
