import { z } from 'zod';
import { nameSchema } from '../model/schema.js';

const time = z.iso.datetime({ offset: true, error: 'expected an RFC 3339 time with a zone, like 2026-12-06T02:00:00Z or 2026-12-06T03:00:00+01:00' });

/**
 * `maintenance:` in vigil.yml: planned windows, each with the services it covers, its start and
 * end (RFC 3339, with a zone) and why. Windows created at runtime go through
 * POST /api/v1/maintenance instead.
 */
export const maintenanceConfigSchema = z.array(
  z
    .strictObject({
      services: z.array(nameSchema).min(1, 'name at least one service'),
      start: time,
      end: time,
      reason: z.string().max(2000).default(''),
    })
    .superRefine((w, ctx) => {
      if (Date.parse(w.end) <= Date.parse(w.start)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
      if (new Set(w.services).size !== w.services.length) ctx.addIssue({ code: 'custom', path: ['services'], message: 'names a service twice' });
    }),
);

export type MaintenanceConfig = z.output<typeof maintenanceConfigSchema>;
