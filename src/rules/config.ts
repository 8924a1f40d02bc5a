import { z } from 'zod';
import { duration, labelsSchema } from '../model/schema.js';
import type { RuleSettings } from './manager.js';

/**
 * `rule_files:` and `rules:` in vigil.yml. The settings mean what Prometheus's do:
 * `evaluation_interval` (global.evaluation_interval), `query_offset` (global.rule_query_offset),
 * `external_labels` (added to alerts sent and available to templates), and the
 * `--rules.alert.for-outage-tolerance`, `--rules.alert.for-grace-period` and
 * `--rules.alert.resend-delay` flags.
 */
export const ruleFilesSchema = z.array(z.string().min(1, 'must not be empty'), { error: 'expected a list of rule file paths or globs' });

export const rulesConfigSchema = z
  .strictObject({
    evaluation_interval: duration().default(60_000),
    query_offset: duration().default(0),
    external_labels: labelsSchema.default({}),
    outage_tolerance: duration().default(3600_000),
    for_grace_period: duration().default(600_000),
    resend_delay: duration().default(60_000),
  })
  .prefault({})
  .superRefine((c, ctx) => {
    if (c.evaluation_interval <= 0) ctx.addIssue({ code: 'custom', path: ['evaluation_interval'], message: 'must be greater than 0' });
  });

export type RulesConfig = z.output<typeof rulesConfigSchema>;

export function ruleSettings(c: RulesConfig, externalURL?: URL): RuleSettings {
  return {
    evaluationIntervalMs: c.evaluation_interval,
    queryOffsetMs: c.query_offset,
    externalLabels: c.external_labels,
    outageToleranceMs: c.outage_tolerance,
    forGracePeriodMs: c.for_grace_period,
    resendDelayMs: c.resend_delay,
    ...(externalURL ? { externalURL } : {}),
  };
}
