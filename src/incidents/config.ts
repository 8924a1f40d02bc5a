import { z } from 'zod';
import { duration } from '../model/schema.js';
import { SEVERITIES } from '../model/alert.js';

const target = z.strictObject({ acknowledge_within: duration(), resolve_within: duration() });

const DEFAULT_MATRIX = {
  critical: { acknowledge_within: 5 * 60_000, resolve_within: 3600_000 },
  high: { acknowledge_within: 15 * 60_000, resolve_within: 4 * 3600_000 },
  medium: { acknowledge_within: 3600_000, resolve_within: 24 * 3600_000 },
  low: { acknowledge_within: 4 * 3600_000, resolve_within: 7 * 24 * 3600_000 },
};

/** `incidents:` in vigil.yml. */
export const incidentsConfigSchema = z
  .strictObject({
    /** Alerts with these severities open (or join) incidents. */
    open_for_severities: z.array(z.enum(SEVERITIES)).default(['critical', 'high']),
    /** Response targets per severity (time to acknowledge, time to resolve). */
    severities: z
      .strictObject({
        critical: target.optional(),
        high: target.optional(),
        medium: target.optional(),
        low: target.optional(),
      })
      .prefault({})
      .transform((s) => ({ ...DEFAULT_MATRIX, ...Object.fromEntries(Object.entries(s).filter(([, v]) => v)) })),
    /**
     * What happens when every alert of an incident has resolved: `mitigate` (default) moves it
     * to mitigated and waits for a human to resolve; `resolve` resolves it; `none` leaves it.
     */
    on_alerts_resolved: z.enum(['mitigate', 'resolve', 'none']).default('mitigate'),
  })
  .prefault({});

export type IncidentsConfig = z.output<typeof incidentsConfigSchema>;
export type SeverityMatrix = IncidentsConfig['severities'];
