import { z } from 'zod';
import { isoTime } from './common.js';

/** The statuses of a public update, as Statuspage names them (the status page module's UPDATE_STATUSES). */
export const PUBLIC_UPDATE_STATUS_VALUES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;

/**
 * A public update of an incident (`GET/POST /api/v1/incidents/{id}/updates`): what the public
 * status page says, apart from the internal timeline. `title` is the public title from this
 * update on (null keeps the previous one); `author` is never shown publicly.
 */
export const publicUpdateViewSchema = z.strictObject({
  id: z.number(),
  incident_id: z.string(),
  status: z.enum(PUBLIC_UPDATE_STATUS_VALUES),
  message: z.string(),
  title: z.string().nullable(),
  author: z.string(),
  at: isoTime,
});
export type PublicUpdateView = z.infer<typeof publicUpdateViewSchema>;

export const publicUpdatesResponseSchema = z.strictObject({ updates: z.array(publicUpdateViewSchema) });
export type PublicUpdatesResponse = z.infer<typeof publicUpdatesResponseSchema>;
