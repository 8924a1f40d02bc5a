import { z } from 'zod';

export const SLO_STATUSES = ['ok', 'at_risk', 'breached'] as const;

/** The burn-rate windows /api/v1/slos reports, shortest first. */
export const SLO_BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

const fraction = z.number().nullable();

/** An incident's time span against an SLO's SLI: how much of the budget it consumed. */
export const sloIncidentSchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.string(),
  status: z.string(),
  /** The part of the incident inside the SLO's period (RFC 3339); end null while open. */
  start: z.string(),
  end: z.string().nullable(),
  /** Bad events during the span. */
  bad_events: z.number(),
  /** Fraction of the period's error budget the span consumed (0.25: a quarter of it). */
  budget_consumed: z.number(),
});

/**
 * An SLO as GET /api/v1/slos and /api/v1/slos/{name} show it: the fields, then what
 * explains them. Every number is computed from the raw data when asked; times RFC 3339.
 */
export const sloViewSchema = z.object({
  name: z.string(),
  service: z.string(),
  description: z.string(),
  /** Percent of good events, e.g. 99.9. */
  objective: z.number(),
  /** `30d` (rolling), `month`, `2 weeks`, `month (Europe/Berlin)` (calendar). */
  window: z.string(),
  /** Good events over the whole window as a fraction (0.9932, not 99.32), from raw data; null without data. */
  sli: fraction,
  error_budget: z.object({
    /** 1 − objective/100. */
    total: z.number(),
    /** Fractions of the budget: remaining 1 is untouched, negative when overspent. */
    consumed: fraction,
    remaining: fraction,
    /** Minutes of full outage the remaining budget allows over the whole period. */
    remaining_minutes: fraction,
  }),
  /** The error ratio over each window divided by the budget (1: spending exactly the budget). */
  burn_rates: z.record(z.enum(SLO_BURN_WINDOWS), fraction),
  /** breached: budget overspent; at_risk: under a quarter left or a burn-rate alert's condition holds. */
  status: z.enum(SLO_STATUSES),
  incidents: z.array(sloIncidentSchema),
  /** The period the numbers cover: a rolling window's [now − window, now], a calendar period's bounds. */
  period: z.object({ start: z.string(), end: z.string() }),
  evaluated_at: z.string(),
  exclude_maintenance: z.boolean(),
  /** Where the SLO is declared: vigil.yml or an OpenSLO file. */
  source: z.string(),
  /** Why a number is null (no data, a failed query, a latency threshold that is not a bucket). */
  problems: z.array(z.string()),
  /** The PromQL behind `sli` (null when maintenance cut the window into pieces) and each burn rate, at `evaluated_at`. */
  promql: z.object({ error_ratio: z.string().nullable(), burn_rates: z.record(z.string(), z.string()) }),
});
export type SloView = z.infer<typeof sloViewSchema>;

export const slosResponseSchema = z.object({ slos: z.array(sloViewSchema) });
export type SlosResponse = z.infer<typeof slosResponseSchema>;

export const sloHistoryPointSchema = z.object({
  t: z.string(),
  sli: fraction,
  error_budget: z.object({ consumed: fraction, remaining: fraction }),
});
/** GET /api/v1/slos/{name}/history: the SLI and budget as they stood at each step (each over the window ending then). */
export const sloHistorySchema = z.object({ name: z.string(), from: z.string(), to: z.string(), step: z.number(), points: z.array(sloHistoryPointSchema) });
export type SloHistory = z.infer<typeof sloHistorySchema>;
