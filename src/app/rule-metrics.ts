import { Counter, Gauge, type Registry } from 'prom-client';
import type { Group } from '../rules/index.js';

/**
 * The rule engine's metrics, named as Prometheus names its `prometheus_rule_*` ones, one series
 * per group (`rule_group="<file>;<group>"`). Read from the groups when /metrics is scraped, so
 * a removed group's series go away with it.
 */
export function registerRuleMetrics(registry: Registry, groups: () => readonly Group[]): { templateErrors: Counter } {
  const gauge = (name: string, help: string, value: (g: Group) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['rule_group'],
      registers: [registry],
      collect() {
        this.reset();
        for (const g of groups()) this.set({ rule_group: g.key }, value(g));
      },
    });
  const counter = (name: string, help: string, value: (g: Group) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['rule_group'],
      registers: [registry],
      collect() {
        this.reset();
        for (const g of groups()) this.inc({ rule_group: g.key }, value(g));
      },
    });
  gauge('vigil_rule_group_last_duration_seconds', 'The duration of the last rule group evaluation.', (g) => g.evaluationTime);
  gauge('vigil_rule_group_last_evaluation_timestamp_seconds', 'The timestamp of the last rule group evaluation in seconds.', (g) => g.lastEvaluation / 1000);
  gauge('vigil_rule_group_rules', 'The number of rules.', (g) => g.rules.length);
  gauge('vigil_rule_group_interval_seconds', 'The interval of a rule group.', (g) => g.intervalMs / 1000);
  gauge('vigil_rule_group_last_evaluation_samples', 'The number of samples returned during the last rule group evaluation.', (g) => g.counters.samples);
  counter('vigil_rule_evaluations_total', 'The total number of rule evaluations.', (g) => g.counters.evaluations);
  counter('vigil_rule_evaluation_failures_total', 'The total number of rule evaluation failures.', (g) => g.counters.failures);
  counter('vigil_rule_group_iterations_total', 'The total number of scheduled rule group evaluations, whether executed or missed.', (g) => g.counters.iterations);
  counter('vigil_rule_group_iterations_missed_total', 'The total number of rule group evaluations missed due to slow rule group evaluation.', (g) => g.counters.missed);
  const templateErrors = new Counter({ name: 'vigil_rule_template_errors_total', help: 'Alert label and annotation template expansions that failed.', registers: [registry] });
  return { templateErrors };
}
