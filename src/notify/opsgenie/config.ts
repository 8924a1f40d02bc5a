import { z } from 'zod';
import { httpConfigSchema } from '../common/http-config.js';
import { httpUrl, timeoutSchema } from '../common/schema.js';
import { atMostOneSource, secretShape } from '../common/secrets.js';

const responderSchema = z
  .strictObject({
    id: z.string().optional(),
    name: z.string().optional(),
    username: z.string().optional(),
    type: z.string(),
  })
  .superRefine((r, ctx) => {
    if (!r.id && !r.name && !r.username) ctx.addIssue({ code: 'custom', message: 'an Opsgenie responder has to have at least one of id, username or name specified' });
  })
  .transform((r, ctx) => {
    if (r.type.includes('{{')) return r;
    const type = r.type.toLowerCase();
    if (!/^(team|teams|user|escalation|schedule)$/.test(type)) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: `responder type ${JSON.stringify(r.type)} does not match valid options ^(team|teams|user|escalation|schedule)$` });
    }
    return { ...r, type };
  });

/** `opsgenie_configs`: Alertmanager's keys and defaults (`api_url`, `api_key` from global). */
export const opsgenieConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(true),
    http_config: httpConfigSchema.optional(),
    ...secretShape('api_key'),
    api_url: httpUrl.optional(),
    message: z.string().default('{{ template "opsgenie.default.message" . }}'),
    description: z.string().default('{{ template "opsgenie.default.description" . }}'),
    source: z.string().default('{{ template "opsgenie.default.source" . }}'),
    details: z.record(z.string(), z.string()).default({}),
    entity: z.string().optional(),
    responders: z.array(responderSchema).default([]),
    actions: z.string().optional(),
    tags: z.string().optional(),
    note: z.string().optional(),
    priority: z.string().optional(),
    update_alerts: z.boolean().default(false),
    timeout: timeoutSchema,
  })
  .superRefine(atMostOneSource('api_key'));

export type OpsgenieConfig = z.output<typeof opsgenieConfigSchema>;
