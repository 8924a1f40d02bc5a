import { z } from 'zod';
import { labelsSchema, nameSchema } from '../model/schema.js';

/** `services:` — the catalogue checks, alerts and incidents refer to. */
export const serviceSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  owner: z.string().optional(),
  tier: z.enum(['critical', 'high', 'medium', 'low']).optional(),
  depends_on: z.array(nameSchema).default([]),
  labels: labelsSchema.default({}),
});

export type ServiceConfig = z.output<typeof serviceSchema>;
