import { z } from 'zod';
import { IANAZone } from 'luxon';
import { duration } from '../model/schema.js';

const zone = z.string().refine((z) => IANAZone.isValidZone(z), { message: 'expected an IANA time zone like Europe/Berlin or UTC' });
const query = z.string().min(1, 'must not be empty');

/**
 * One set of performance queries. `{{service}}` is replaced by each service's name and
 * `{{range}}` by the report's period (`86400s` for a day), so one entry can serve every
 * service that follows the same metric conventions.
 */
const performanceSchema = z.strictObject({
  /** The services these queries are for; absent: every service declared in `services:`. */
  services: z.array(z.string().min(1)).min(1).optional(),
  /** Average response time over the period, seconds. */
  avg_response_time: query.optional(),
  /** 95th percentile response time over the period, seconds. */
  p95_response_time: query.optional(),
  /** Errors as a fraction of requests (0.01 = 1%). */
  error_rate: query.optional(),
  /** Requests per second over the period. */
  throughput: query.optional(),
  /** Throughput is compared with the same query this long before (the same weekday by default). */
  baseline: duration().default(7 * 86_400_000),
});

/** A resource whose trend the daily report extrapolates with predict_linear. */
const capacitySchema = z.strictObject({
  name: z.string().min(1),
  service: z.string().min(1).optional(),
  /** An instant-vector expression; each series it returns is a row. */
  query,
  /** How the values read: `bytes`, `ratio` (0–1), `percent`, or any unit word. */
  unit: z.string().default(''),
  /** The value that means trouble (0 free bytes, 0.9 used): the report says when the trend reaches it. */
  limit: z.number().optional(),
  /** How much history the linear fit uses. */
  lookback: duration().default(86_400_000),
  /** How far ahead to predict. */
  horizon: duration().default(7 * 86_400_000),
});

/** `reporting:` in vigil.yml — what the operations reports show and in which time zone. */
export const reportingConfigSchema = z
  .strictObject({
    /** Report days, months and the times reports print. */
    time_zone: zone.default('UTC'),
    performance: z.array(performanceSchema).default([]),
    capacity: z.array(capacitySchema).default([]),
    /** Certificates expiring within this are listed (from tls checks' probe_ssl_earliest_cert_expiry). */
    certificate_warning: duration().default(30 * 86_400_000),
    /** The handoff document covers this much time before it is made (one shift). */
    handoff_period: duration().default(12 * 3_600_000),
    /** The log detectors whose alerts are security events. */
    security_detectors: z.array(z.string().min(1)).default(['brute_force', 'new_login_ip', 'privilege_escalation']),
  })
  .prefault({});

export type ReportingConfig = z.output<typeof reportingConfigSchema>;
export type PerformanceQueries = ReportingConfig['performance'][number];
export type CapacityResource = ReportingConfig['capacity'][number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day like "08:00"');

/** `reports:` in vigil.yml — reports sent on a schedule through receivers. */
export const scheduledReportSchema = z.strictObject({
  /** daily: the previous day; handoff: the last handoff_period; sla: the previous month (sent on the 1st). */
  kind: z.enum(['daily', 'handoff', 'sla']),
  at: z.union([hhmm, z.array(hhmm).min(1)]).transform((a) => (Array.isArray(a) ? a : [a])),
  /** Defaults to reporting.time_zone. */
  time_zone: zone.optional(),
  receivers: z.array(z.string().min(1)).min(1),
  format: z.enum(['markdown', 'html']).default('markdown'),
});
export const scheduledReportsSchema = z.array(scheduledReportSchema).default([]);
export type ScheduledReport = z.output<typeof scheduledReportSchema>;
