import { z } from 'zod';
import { httpConfigSchema } from '../common/http-config.js';
import { httpUrl, timeoutSchema } from '../common/schema.js';
import { atMostOneSource, hasSecret, secretShape } from '../common/secrets.js';

/** Alertmanager's default custom details: the alerts as JSON and their counts. */
export const DEFAULT_DETAILS: Readonly<Record<string, string>> = {
  firing: '{{ .Alerts.Firing | toJson }}',
  resolved: '{{ .Alerts.Resolved | toJson }}',
  num_firing: '{{ .Alerts.Firing | len }}',
  num_resolved: '{{ .Alerts.Resolved | len }}',
};

/**
 * `pagerduty_configs`: Events API v2 with `routing_key`, or the v1 generic API with
 * `service_key`, Alertmanager's keys and defaults (`url` from global.pagerduty_url; `source`
 * defaults to `client`; `severity` to `error`; `details` always has Alertmanager's four
 * defaults unless overridden).
 */
export const pagerdutyConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(true),
    http_config: httpConfigSchema.optional(),
    ...secretShape('routing_key'),
    ...secretShape('service_key'),
    url: httpUrl.optional(),
    client: z.string().default('{{ template "pagerduty.default.client" . }}'),
    client_url: z.string().default('{{ template "pagerduty.default.clientURL" . }}'),
    description: z.string().default('{{ template "pagerduty.default.description" .}}'),
    details: z.record(z.string(), z.unknown()).default({}),
    images: z.array(z.strictObject({ src: z.string().optional(), alt: z.string().optional(), href: z.string().optional() })).default([]),
    links: z.array(z.strictObject({ href: z.string().optional(), text: z.string().optional() })).default([]),
    source: z.string().optional(),
    severity: z.string().default('error'),
    class: z.string().optional(),
    component: z.string().optional(),
    group: z.string().optional(),
    timeout: timeoutSchema,
  })
  .superRefine(atMostOneSource('routing_key', 'service_key'))
  .superRefine((c, ctx) => {
    if (!hasSecret(c, 'routing_key') && !hasSecret(c, 'service_key')) ctx.addIssue({ code: 'custom', message: 'missing service or routing key in PagerDuty config' });
  })
  .transform((c) => ({ ...c, source: c.source ?? c.client, details: { ...DEFAULT_DETAILS, ...c.details } }));

export type PagerdutyConfig = z.output<typeof pagerdutyConfigSchema>;
