import { dirname, resolve } from 'node:path';
import type { Registry } from 'prom-client';
import type { VigilConfig } from '../config/index.js';
import { loadRuleFiles } from '../config/index.js';
import type { Clock } from '../model/clock.js';
import { Engine, formatExpr, parseExpr, type Expr } from '../promql/index.js';
import { RuleManager, ruleSettings, type GroupSpec, type NotifyFn, type QueryFn } from '../rules/index.js';
import type { Appendable, Queryable } from '../storage/index.js';
import { registerRuleMetrics } from './rule-metrics.js';
import type { Logger } from './logger.js';

/** Canonical text of a PromQL expression; throws the parser's error. */
export const parsePromQL = (text: string): string => formatExpr(parseExpr(text));

/**
 * The rule engine's query function over Vigil's PromQL engine (or the remote store behind
 * `metrics.query_remote`): instant queries with the engine's limits, parsed once per distinct
 * expression, a scalar turned into one sample as Prometheus's EngineQueryFunc does.
 */
export function engineQueryFn(engine: Engine, queryable: Queryable): QueryFn {
  const parsed = new Map<string, Expr>();
  return async (expr, t, signal) => {
    let ast = parsed.get(expr);
    if (!ast) {
      ast = parseExpr(expr);
      if (parsed.size >= 20_000) parsed.clear();
      parsed.set(expr, ast);
    }
    const r = await engine.instantQuery(queryable, ast, t, signal ? { signal } : {});
    if (r.resultType === 'vector') return r.result.map((s) => ({ labels: s.labels, t: s.t, v: s.v }));
    if (r.resultType === 'scalar') return [{ labels: {}, t: r.result.t, v: r.result.v }];
    throw new Error('rule result is not a vector or scalar');
  };
}

export interface RulesWiringOptions {
  readonly config: VigilConfig;
  /** Directory rule_files are relative to (the config file's). */
  readonly configDir: string;
  readonly engine: Engine;
  /** Where rules query (the store, or the remote one). */
  readonly queryable: Queryable;
  /** Where ALERTS_FOR_STATE is read back after a restart (always the local store). */
  readonly restoreFrom: Queryable;
  readonly appendable: Appendable;
  readonly notify: NotifyFn;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly externalURL: string;
  readonly registry: Registry;
}

export type RuleLoad = { ok: true; groups: GroupSpec[]; files: string[] } | { ok: false; errors: string[] };

/** Reads the rule files a config names (relative to `configDir`). */
export function readRuleFilesOf(config: VigilConfig, configDir: string): RuleLoad {
  const r = loadRuleFiles(config.rule_files, configDir, { parseExpr: parsePromQL });
  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  return { ok: true, groups: r.groups, files: r.files };
}

/** The rule manager wired to the store, the engine, the alert pipeline and /metrics. */
export function buildRules(o: RulesWiringOptions): RuleManager {
  const log = o.logger.child({ component: 'rules' });
  let templateErrors: { inc(): void } = { inc: () => undefined };
  const manager = new RuleManager({
    query: engineQueryFn(o.engine, o.queryable),
    parseExpr: parsePromQL,
    appendable: o.appendable,
    restoreFrom: o.restoreFrom,
    notify: o.notify,
    clock: o.clock,
    logger: log,
    settings: ruleSettings(o.config.rules, new URL(o.externalURL)),
    onTemplateError: () => templateErrors.inc(),
  });
  templateErrors = registerRuleMetrics(o.registry, () => manager.groups()).templateErrors;
  return manager;
}

export function configDirOf(configPath: string | undefined): string {
  return configPath ? dirname(resolve(configPath)) : process.cwd();
}
