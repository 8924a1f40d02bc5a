import { z } from 'zod';
import { isoTime } from './common.js';
import { SEVERITY_VALUES } from './incidents.js';

export const POSTMORTEM_STATUS_VALUES = ['draft', 'in_review', 'published'] as const;
export const POSTMORTEM_SECTION_NAMES = ['summary', 'impact', 'detection', 'root_cause', 'timeline', 'resolution', 'lessons_learned'] as const;
export const ACTION_KIND_VALUES = ['immediate', 'preventive'] as const;
export const ACTION_STATUS_VALUES = ['open', 'in_progress', 'done'] as const;

const section = z.string().max(100_000);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD');

// Requests.
export const declareIncidentBody = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').max(500),
  severity: z.enum(SEVERITY_VALUES),
  services: z.array(z.string().min(1).max(200)).max(100).default([]),
  summary: z.string().max(10_000).optional(),
});
export type DeclareIncidentBody = z.input<typeof declareIncidentBody>;

export const reopenBody = z.strictObject({ reason: z.string().max(10_000).optional() }).optional();
export type ReopenBody = z.input<typeof reopenBody>;

/** PUT: the sections sent replace theirs, those left out keep theirs; `version` guards against lost edits. */
export const postmortemBody = z.strictObject({
  status: z.enum(POSTMORTEM_STATUS_VALUES).optional(),
  version: z.number().int().min(0).optional(),
  summary: section.optional(),
  impact: section.optional(),
  detection: section.optional(),
  root_cause: section.optional(),
  timeline: section.optional(),
  resolution: section.optional(),
  lessons_learned: section.optional(),
});
export type PostmortemBody = z.input<typeof postmortemBody>;
export const postmortemQuery = z.strictObject({ format: z.enum(['json', 'markdown']).default('json') });

export const actionItemBody = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').max(1000),
  owner: z.string().max(200).nullable().optional(),
  due: day.nullable().optional(),
  kind: z.enum(ACTION_KIND_VALUES),
});
export type ActionItemBody = z.input<typeof actionItemBody>;

export const actionItemPatchBody = z
  .strictObject({
    title: z.string().trim().min(1, 'must not be empty').max(1000).optional(),
    owner: z.string().max(200).nullable().optional(),
    due: day.nullable().optional(),
    kind: z.enum(ACTION_KIND_VALUES).optional(),
    status: z.enum(ACTION_STATUS_VALUES).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'send at least one of title, owner, due, kind, status');
export type ActionItemPatchBody = z.input<typeof actionItemPatchBody>;

export const actionItemIdParams = z.strictObject({ item: z.coerce.number().int().min(1) });
export const incidentActionItemParams = z.strictObject({
  id: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'expected an incident id like INC-2026-0001'),
  item: z.coerce.number().int().min(1),
});

const statusList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum([...ACTION_STATUS_VALUES, 'pending'])));
export const actionItemsQuery = z.strictObject({
  /** One status, or several separated by commas; `pending` = open and in_progress. */
  status: statusList.optional(),
  owner: z.string().max(200).optional(),
  incident: z.string().optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
export type ActionItemsQuery = z.input<typeof actionItemsQuery>;

// Responses.
export const postmortemViewSchema = z.object({
  incident_id: z.string(),
  status: z.enum(POSTMORTEM_STATUS_VALUES),
  /** false: the generated draft, not saved yet (version 0). */
  stored: z.boolean(),
  version: z.number(),
  sections: z.object(Object.fromEntries(POSTMORTEM_SECTION_NAMES.map((s) => [s, z.string()])) as Record<(typeof POSTMORTEM_SECTION_NAMES)[number], z.ZodString>),
  created_at: isoTime,
  updated_at: isoTime,
  updated_by: z.string(),
  published_at: isoTime.nullable(),
});
export type PostmortemView = z.infer<typeof postmortemViewSchema>;

export const actionItemViewSchema = z.object({
  id: z.number(),
  incident_id: z.string(),
  title: z.string(),
  owner: z.string().nullable(),
  due: z.string().nullable(),
  kind: z.enum(ACTION_KIND_VALUES),
  status: z.enum(ACTION_STATUS_VALUES),
  /** Not done and its due day has passed (UTC). */
  overdue: z.boolean(),
  created_at: isoTime,
  created_by: z.string(),
  updated_at: isoTime,
  done_at: isoTime.nullable(),
});
export type ActionItemView = z.infer<typeof actionItemViewSchema>;
export const actionItemsResponseSchema = z.object({ action_items: z.array(actionItemViewSchema) });
export type ActionItemsResponse = z.infer<typeof actionItemsResponseSchema>;
