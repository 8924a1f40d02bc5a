import { z } from 'zod';
import { nameSchema } from '../model/schema.js';

/** One entry of `status_page.components`: a service as the public sees it. */
export const statusComponentSchema = z.strictObject({
  /** The service (under `services:`, or named by checks and alerts) whose state this shows. */
  service: nameSchema,
  /** The public name; defaults to the service's name. */
  name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  /** Components with the same group are shown together under its name. */
  group: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  description: z.string().max(1000).optional(),
});

export const statusSubscriptionsSchema = z
  .strictObject({
    /** Email subscriptions (double opt-in). Unset: on when global.smtp_smarthost and smtp_from are set. */
    email: z.boolean().optional(),
    /** Webhook subscriptions from the public form. */
    webhook: z.boolean().default(true),
    /** Accept webhook URLs that point at loopback, private or link-local addresses from the public form. */
    allow_private_webhooks: z.boolean().default(false),
    /** Subscribe requests one client address may make per hour. */
    per_address_per_hour: z.number().int().min(1).max(10_000).default(10),
    /** Subscriptions waiting for their email to be confirmed, at most (the form refuses more). */
    max_pending: z.number().int().min(1).max(1_000_000).default(1000),
  })
  .prefault({});

/** `status_page:` — the public status page served at /status (docs/status-page.md). */
export const statusPageConfigSchema = z
  .strictObject({
    title: z.string().trim().min(1, 'must not be empty').max(200).default('Status'),
    /** A line under the title. */
    description: z.string().max(1000).optional(),
    components: z.array(statusComponentSchema).default([]),
    /** Days of resolved incidents the page lists. */
    past_incidents_days: z.number().int().min(0).max(365).default(14),
    /** Days of uptime bars per component. */
    uptime_days: z.number().int().min(1).max(365).default(90),
    subscriptions: statusSubscriptionsSchema,
  })
  .superRefine((c, ctx) => {
    const names = new Map<string, number>();
    c.components.forEach((comp, i) => {
      const name = comp.name ?? comp.service;
      const prev = names.get(name);
      if (prev !== undefined) ctx.addIssue({ code: 'custom', path: ['components', i, 'name'], message: `component name ${JSON.stringify(name)} is already used by components[${prev}]` });
      else names.set(name, i);
    });
  });

export type StatusPageConfig = z.output<typeof statusPageConfigSchema>;
export type StatusComponentConfig = z.output<typeof statusComponentSchema>;
