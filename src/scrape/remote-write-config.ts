import { z } from 'zod';
import { duration } from '../model/schema.js';
import { authConflict, httpClientShape, type HttpAuthConfig } from './http-config.js';
import { relabelConfigsSchema, type RelabelConfig } from './relabel.js';

/**
 * `remote_write:` entries, Prometheus's remote_write schema for the keys Vigil supports.
 * It lives beside scrape_configs because both share the HTTP client keys and relabeling,
 * and config/ may import scrape/ (not ingest/); ingest/remote-write-out.ts takes the parsed
 * value structurally. Defaults are Prometheus's queue_config defaults.
 */

/** Headers the sender sets itself; Prometheus refuses them in `headers` too. */
const RESERVED_HEADERS = new Set([
  'authorization',
  'host',
  'content-encoding',
  'content-length',
  'content-type',
  'user-agent',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'www-authenticate',
  'accept-encoding',
  'x-prometheus-remote-write-version',
  'x-prometheus-remote-read-version',
]);

const queueConfigSchema = z
  .strictObject({
    capacity: z.int().min(1).default(10_000),
    max_samples_per_send: z.int().min(1).default(2000),
    batch_send_deadline: duration().default(5000),
    min_backoff: duration().default(30),
    max_backoff: duration().default(5000),
  })
  .refine((q) => q.min_backoff <= q.max_backoff, { message: 'min_backoff must not exceed max_backoff', path: ['min_backoff'] })
  .prefault({});

const remoteWriteInput = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }),
    name: z.string().min(1).optional(),
    remote_timeout: duration().default(30_000),
    headers: z
      .record(z.string(), z.string())
      .superRefine((h, ctx) => {
        for (const k of Object.keys(h)) {
          if (RESERVED_HEADERS.has(k.toLowerCase())) ctx.addIssue({ code: 'custom', path: [k], message: `${k} is a reserved header. It must not be changed` });
        }
      })
      .default({}),
    ...httpClientShape,
    queue_config: queueConfigSchema,
    write_relabel_configs: relabelConfigsSchema.default([]),
  })
  .superRefine((c, ctx) => {
    const conflict = authConflict(c);
    if (conflict) ctx.addIssue({ code: 'custom', message: conflict });
  });

export interface RemoteWriteConfig extends HttpAuthConfig {
  readonly url: string;
  readonly name?: string | undefined;
  /** ms */
  readonly remote_timeout: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly queue_config: {
    readonly capacity: number;
    readonly max_samples_per_send: number;
    /** ms */
    readonly batch_send_deadline: number;
    /** ms */
    readonly min_backoff: number;
    /** ms */
    readonly max_backoff: number;
  };
  readonly write_relabel_configs: readonly RelabelConfig[];
}

export const remoteWriteSchema: z.ZodType<RemoteWriteConfig, z.input<typeof remoteWriteInput>> = remoteWriteInput;
export type RemoteWriteConfigInput = z.input<typeof remoteWriteInput>;
export const remoteWriteConfigsSchema = z.array(remoteWriteSchema);
