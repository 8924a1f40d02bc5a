import { z } from 'zod';
import { isoTime, labelSet } from './common.js';

export const SEVERITY_VALUES = ['critical', 'high', 'medium', 'low'] as const;
export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'mitigated', 'resolved'] as const;

const target = z.object({
  target_ms: z.number(),
  actual_ms: z.number().nullable(),
  state: z.enum(['met', 'breached', 'pending']),
});

export const incidentViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITY_VALUES),
  status: z.enum(INCIDENT_STATUSES),
  services: z.array(z.string()).readonly(),
  assignee: z.string().nullable(),
  opened_at: isoTime,
  acknowledged_at: isoTime.nullable(),
  acknowledged_by: z.string().nullable(),
  mitigated_at: isoTime.nullable(),
  resolved_at: isoTime.nullable(),
  resolved_by: z.string().nullable(),
  updated_at: isoTime,
  sla: z.object({ time_to_acknowledge: target, time_to_resolve: target }),
});
export type IncidentView = z.infer<typeof incidentViewSchema>;

export const timelineEntrySchema = z.object({
  at: isoTime,
  kind: z.string(),
  actor: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type TimelineEntryView = z.infer<typeof timelineEntrySchema>;

export const incidentAlertSchema = z.object({
  fingerprint: z.string(),
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet,
  starts_at: isoTime,
  ends_at: isoTime.nullable(),
});
export type IncidentAlertView = z.infer<typeof incidentAlertSchema>;

export const incidentDetailSchema = incidentViewSchema.extend({
  alerts: z.array(incidentAlertSchema),
  timeline: z.array(timelineEntrySchema),
});
export type IncidentDetailView = z.infer<typeof incidentDetailSchema>;

export const incidentsResponseSchema = z.object({ incidents: z.array(incidentViewSchema) });
export type IncidentsResponse = z.infer<typeof incidentsResponseSchema>;

// Requests.
export const incidentIdParams = z.strictObject({ id: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'expected an incident id like INC-2026-0001') });
export const incidentListQuery = z.strictObject({
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type IncidentListQuery = z.input<typeof incidentListQuery>;
export const incidentActionBody = z.strictObject({ note: z.string().max(10_000).optional() }).optional();
export type IncidentActionBody = z.input<typeof incidentActionBody>;
export const incidentNoteBody = z.strictObject({ text: z.string().min(1, 'must not be empty').max(10_000) });
export type IncidentNoteBody = z.input<typeof incidentNoteBody>;
export const incidentAssignBody = z.strictObject({ assignee: z.string().min(1).max(200).nullable() });
export type IncidentAssignBody = z.input<typeof incidentAssignBody>;
export const incidentSeverityBody = z.strictObject({ severity: z.enum(SEVERITY_VALUES) });
export type IncidentSeverityBody = z.input<typeof incidentSeverityBody>;
