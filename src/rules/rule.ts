import type { Labels } from '../model/labels.js';
import type { QueryFn, QuerySample, RuleHealth } from './types.js';

/** What one evaluation of a rule gets from its group. */
export interface EvalContext {
  /** The group's evaluation slot (ms); queries run at `ts - queryOffset`. */
  readonly ts: number;
  readonly queryOffset: number;
  readonly query: QueryFn;
  readonly externalURL?: URL;
  /** The group's `limit` (0: none). */
  readonly limit: number;
  readonly signal?: AbortSignal;
  readonly onTemplateError: (err: Error, rule: RuleBase) => void;
}

/** State and identity shared by recording and alerting rules (health, last error, timings). */
export abstract class RuleBase {
  health: RuleHealth = 'unknown';
  lastError: string | undefined;
  /** Duration of the last evaluation, seconds. */
  evaluationTime = 0;
  /** Wall-clock start of the last evaluation (ms, 0 = never). */
  lastEvaluation = 0;

  constructor(
    readonly name: string,
    /** The expression as Prometheus prints it (what is queried and shown). */
    readonly expr: string,
    readonly labels: Labels,
  ) {}

  abstract readonly kind: 'recording' | 'alerting';
  abstract eval(ctx: EvalContext): Promise<QuerySample[]>;

  /** What decides whether a reloaded rule is the same rule (Prometheus compares rule.String()). */
  abstract identity(): string;

  /** Name and labels: how state is carried over a reload (Prometheus's nameAndLabels). */
  nameAndLabels(): string {
    return `${this.name}${JSON.stringify(Object.entries(this.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
  }
}
