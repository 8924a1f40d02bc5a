import { IANAZone } from 'luxon';
import { z } from 'zod';
import { annotationsSchema, duration, labelsSchema, nameSchema } from '../model/schema.js';
import { DEFAULT_ALERT_NAME, type AlertSpec, type SloSpec } from './spec.js';

/** The shortest window accepted (short windows make demos and tests practical). */
export const MIN_WINDOW_MS = 5 * 60_000;
export const DEFAULT_WINDOW_MS = 30 * 86_400_000;

const query = z.string().min(1, 'must not be empty');

const eventsSchema = z
  .strictObject({
    /** PromQL: per-second rate of bad events, with {{.window}} as the range (Sloth's errorQuery). */
    error_query: query.optional(),
    /** PromQL: per-second rate of good events (instead of error_query). */
    good_query: query.optional(),
    total_query: query,
  })
  .superRefine((e, ctx) => {
    if ((e.error_query === undefined) === (e.good_query === undefined)) ctx.addIssue({ code: 'custom', message: 'give exactly one of error_query and good_query' });
  });

const seconds = z.union([
  z.number().positive('must be positive'),
  duration().transform((ms, ctx) => {
    if (ms <= 0) {
      ctx.addIssue({ code: 'custom', message: 'must be positive' });
      return z.NEVER;
    }
    return ms / 1000;
  }),
]);

const latencySchema = z.strictObject({
  /** The histogram's name (`http_request_duration_seconds`; a `_bucket` or `_count` suffix is dropped). */
  metric: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'expected a metric name like http_request_duration_seconds'),
  /** Label matchers in braces: `{job="shop-api"}`. */
  selector: z.string().default(''),
  /** A duration (500ms → 0.5, for histograms in seconds) or the bucket boundary as a number. */
  threshold: seconds,
});

const sliSchema = z
  .strictObject({
    events: eventsSchema.optional(),
    latency: latencySchema.optional(),
    /** The name of a check under `checks:`. */
    check: nameSchema.optional(),
  })
  .superRefine((s, ctx) => {
    const n = [s.events, s.latency, s.check].filter((x) => x !== undefined).length;
    if (n !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of events, latency and check' });
  });

const alertSchema = z.strictObject({
  labels: labelsSchema.default({}),
  annotations: annotationsSchema.default({}),
  /** Generate no such alert. */
  disable: z.boolean().default(false),
});

const alertingSchema = z
  .strictObject({
    /** The alertname of both alerts. */
    name: z.string().min(1, 'must not be empty').default(DEFAULT_ALERT_NAME),
    labels: labelsSchema.default({}),
    annotations: annotationsSchema.default({}),
    page: alertSchema.prefault({}),
    ticket: alertSchema.prefault({}),
  })
  .prefault({});

export const CALENDAR_UNITS = ['day', 'week', 'month', 'quarter', 'year'] as const;

export const sloConfigSchema = z
  .strictObject({
    name: nameSchema,
    service: nameSchema,
    description: z.string().default(''),
    /** Percent of good events, e.g. 99.9. */
    objective: z.number().gt(0, 'must be above 0').lt(100, 'must be below 100 (an objective of 100% leaves no error budget)'),
    /** A rolling window (default 30d, at least 5m). */
    window: duration().optional(),
    /** Calendar periods instead of a rolling window. */
    calendar: z.enum(CALENDAR_UNITS).optional(),
    /** The calendar's time zone (IANA name); default UTC. */
    time_zone: z.string().refine((z) => IANAZone.isValidZone(z), { message: 'unknown time zone (use an IANA name like Europe/Berlin)' }).optional(),
    sli: sliSchema,
    alerting: alertingSchema,
    labels: labelsSchema.default({}),
    /** Leave the service's maintenance windows out of the SLI and budget. */
    exclude_maintenance: z.boolean().default(false),
  })
  .superRefine((s, ctx) => {
    if (s.window !== undefined && s.calendar !== undefined) ctx.addIssue({ code: 'custom', path: ['calendar'], message: 'give either window (rolling) or calendar, not both' });
    if (s.window !== undefined && s.window < MIN_WINDOW_MS) ctx.addIssue({ code: 'custom', path: ['window'], message: 'must be at least 5m' });
    if (s.time_zone !== undefined && s.calendar === undefined) ctx.addIssue({ code: 'custom', path: ['time_zone'], message: 'only applies with calendar' });
  });

/** `slos:` in vigil.yml. */
export const slosConfigSchema = z.array(sloConfigSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((s, i) => {
    if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate SLO name "${s.name}"` });
    seen.add(s.name);
  });
});

/** `slo_files:` — OpenSLO v1 files: paths or globs relative to vigil.yml. */
export const sloFilesSchema = z.array(z.string().min(1, 'must not be empty'), { error: 'expected a list of OpenSLO file paths or globs' });

export type SloConfig = z.output<typeof sloConfigSchema>;

const alertOf = (a: z.output<typeof alertSchema>): AlertSpec | null => (a.disable ? null : { labels: a.labels, annotations: a.annotations });

/** The SLOs of vigil.yml as specs. */
export function slosFromConfig(list: readonly SloConfig[], source = 'vigil.yml'): SloSpec[] {
  return list.map((s) => ({
    name: s.name,
    service: s.service,
    description: s.description,
    objective: s.objective,
    window: s.calendar ? { kind: 'calendar', unit: s.calendar, count: 1, zone: s.time_zone ?? 'UTC' } : { kind: 'rolling', ms: s.window ?? DEFAULT_WINDOW_MS },
    sli: s.sli.events
      ? { kind: 'events', totalQuery: s.sli.events.total_query, ...(s.sli.events.error_query !== undefined ? { errorQuery: s.sli.events.error_query } : { goodQuery: s.sli.events.good_query as string }) }
      : s.sli.latency
        ? { kind: 'latency', metric: s.sli.latency.metric, selector: s.sli.latency.selector, threshold: s.sli.latency.threshold }
        : { kind: 'check', check: s.sli.check as string },
    alerting: { name: s.alerting.name, labels: s.alerting.labels, annotations: s.alerting.annotations, page: alertOf(s.alerting.page), ticket: alertOf(s.alerting.ticket) },
    labels: s.labels,
    excludeMaintenance: s.exclude_maintenance,
    source,
    spec: 'vigil/v1',
  }));
}
