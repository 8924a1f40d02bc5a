import { z } from 'zod';
import { duration } from '../model/schema.js';

/**
 * The `receivers` section, following Alertmanager's schema for the integrations Vigil has.
 * Objects are strict: an unknown key is an error.
 */
const basicAuthSchema = z.strictObject({
  username: z.string().min(1, 'must not be empty'),
  password: z.string().optional(),
});

export const httpConfigSchema = z
  .strictObject({
    bearer_token: z.string().min(1, 'must not be empty').optional(),
    basic_auth: basicAuthSchema.optional(),
  })
  .refine((c) => !(c.bearer_token !== undefined && c.basic_auth !== undefined), {
    message: 'at most one of basic_auth and bearer_token must be configured',
  });

const httpUrl = z.string().superRefine((s, ctx) => {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected an absolute http:// or https:// URL' });
    return;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: `unsupported scheme "${u.protocol.replace(/:$/, '')}" for URL` });
  }
});

export const webhookConfigSchema = z.strictObject({
  url: httpUrl,
  send_resolved: z.boolean().default(true),
  /** 0 = no limit. Extra alerts are dropped and counted in the payload's truncatedAlerts. */
  max_alerts: z.number().int().min(0, 'must be zero or positive').default(0),
  http_config: httpConfigSchema.optional(),
  /** Per-attempt request timeout. Alertmanager's default is none; Vigil uses 10s so a hung peer cannot stall delivery. */
  timeout: duration().optional(),
});

export const logConfigSchema = z.strictObject({
  send_resolved: z.boolean().default(true),
});

export const receiverSchema = z.strictObject({
  name: z.string().min(1, 'must not be empty'),
  webhook_configs: z.array(webhookConfigSchema).optional(),
  log_configs: z.array(logConfigSchema).optional(),
});

/** A receiver with no configs is valid: notifications to it go nowhere (a "blackhole"). */
export const receiversSchema = z.array(receiverSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((r, i) => {
    if (seen.has(r.name)) {
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `notification config name ${JSON.stringify(r.name)} is not unique` });
    }
    seen.add(r.name);
  });
});

export type WebhookConfig = z.output<typeof webhookConfigSchema>;
export type LogConfig = z.output<typeof logConfigSchema>;
export type HttpConfig = z.output<typeof httpConfigSchema>;
export type ReceiverConfig = z.output<typeof receiverSchema>;
export type ReceiverConfigInput = z.input<typeof receiverSchema>;
