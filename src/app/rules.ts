import { dirname, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Gauge, type Registry } from 'prom-client';
import { registerReloadRoute, registerRulesRoutes } from '../api/index.js';
import type { VigilConfig } from '../config/index.js';
import { loadConfigFile, loadRuleFiles } from '../config/index.js';
import type { AlertIntake } from '../model/alert.js';
import type { Clock } from '../model/clock.js';
import { Engine, formatExpr, parseExpr, type Expr } from '../promql/index.js';
import { RuleManager, ruleSettings, type GroupSpec, type QueryFn } from '../rules/index.js';
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

export interface RulesRuntimeOptions {
  readonly config: VigilConfig;
  /** vigil.yml's path: rule_files are relative to its directory, and a reload reads it again. */
  readonly configPath?: string;
  readonly engine: Engine;
  /** Where rules query (the store, or the remote one behind metrics.query_remote). */
  readonly queryable: Queryable;
  /** Where ALERTS_FOR_STATE is read back after a restart (always the local store). */
  readonly restoreFrom: Queryable;
  readonly appendable: Appendable;
  readonly intake: AlertIntake;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly externalURL: string;
  readonly registry: Registry;
  /** The groups of the rule files, read (and checked) before anything else starts. */
  readonly groups: readonly GroupSpec[];
  /** Other sections a reload applies (maintenance windows, SLOs): called after the rule files load. */
  readonly reloadable?: readonly ReloadHook[];
}

/**
 * A config section a reload applies besides the rule files. `check` (before anything is applied)
 * returns the section's problems, so a bad section leaves everything running as it was; `apply`
 * throws to fail the reload.
 */
export interface ReloadHook {
  readonly sections: readonly string[];
  check?(next: VigilConfig): readonly string[];
  apply(next: VigilConfig): void | Promise<void>;
}

export type RuleLoad = { ok: true; groups: GroupSpec[]; files: string[] } | { ok: false; errors: string[] };

/** Reads the rule files a config names (relative to `configDir`). */
export function readRuleFilesOf(config: VigilConfig, configDir: string): RuleLoad {
  const r = loadRuleFiles(config.rule_files, configDir, { parseExpr: parsePromQL });
  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  return { ok: true, groups: r.groups, files: r.files };
}

export function configDirOf(configPath: string | undefined): string {
  return configPath ? dirname(resolve(configPath)) : process.cwd();
}

/** Sections a reload applies; a change to any other one is reported as needing a restart. */
const RELOADABLE = new Set(['rule_files', 'rules']);

/**
 * The rule engine inside the server: the manager wired to the PromQL engine, the store, the
 * alert pipeline (rule alerts enter it as Prometheus posts them to Alertmanager) and /metrics;
 * loading the rule files at start, and reloading vigil.yml and them on SIGHUP or
 * POST /-/reload, keeping the running configuration when anything fails to load.
 */
export class RulesRuntime {
  private config: VigilConfig;
  private readonly reloadOk: Gauge;
  private readonly reloadAt: Gauge;

  private constructor(
    readonly manager: RuleManager,
    private readonly opts: RulesRuntimeOptions,
  ) {
    this.config = opts.config;
    this.reloadOk = new Gauge({ name: 'vigil_config_last_reload_successful', help: 'Whether the last configuration reload attempt was successful.', registers: [opts.registry] });
    this.reloadAt = new Gauge({ name: 'vigil_config_last_reload_success_timestamp_seconds', help: 'Timestamp of the last successful configuration reload.', registers: [opts.registry] });
  }

  /**
   * Reads the rule files of a config; on a problem, the message to refuse to start with. Run
   * before the server opens anything, so a bad file stops it cleanly.
   */
  static readFiles(config: VigilConfig, configPath: string | undefined): { ok: true; groups: GroupSpec[] } | { ok: false; message: string } {
    const load = readRuleFilesOf(config, configDirOf(configPath));
    if (load.ok) return { ok: true, groups: load.groups };
    return { ok: false, message: `rule files: ${load.errors.length} problem${load.errors.length === 1 ? '' : 's'}:\n  ${load.errors.join('\n  ')}` };
  }

  /** Builds the manager with the groups read by readFiles. */
  static async create(o: RulesRuntimeOptions): Promise<RulesRuntime> {
    const log = o.logger.child({ component: 'rules' });
    let templateErrors: { inc(): void } = { inc: () => undefined };
    const manager = new RuleManager({
      query: engineQueryFn(o.engine, o.queryable),
      parseExpr: parsePromQL,
      appendable: o.appendable,
      restoreFrom: o.restoreFrom,
      notify: (alerts, src) => {
        o.intake(alerts, { name: 'rules' }).then(
          (r) => {
            if (r.errors.length > 0) log.warn({ group: src.group, rule: src.rule, errors: r.errors }, 'alert pipeline refused rule alerts');
          },
          (err: unknown) => log.error({ err, group: src.group, rule: src.rule }, 'sending rule alerts to the pipeline failed'),
        );
      },
      clock: o.clock,
      logger: log,
      settings: ruleSettings(o.config.rules, new URL(o.externalURL)),
      onTemplateError: () => templateErrors.inc(),
    });
    templateErrors = registerRuleMetrics(o.registry, () => manager.groups()).templateErrors;
    const rt = new RulesRuntime(manager, o);
    await manager.update('files', o.groups);
    rt.reloadOk.set(1);
    rt.reloadAt.set(o.clock.now() / 1000);
    if (o.groups.length > 0) log.info({ groups: o.groups.length, rules: o.groups.reduce((n, g) => n + g.rules.length, 0) }, 'rule files loaded');
    return rt;
  }

  start(): void {
    this.manager.start();
  }

  stop(): Promise<void> {
    return this.manager.stop();
  }

  /**
   * Reads vigil.yml (when the server was started from a file) and the rule files again and
   * applies them. Anything invalid leaves the running rules as they are.
   */
  async reload(): Promise<{ ok: boolean; message: string }> {
    const log = this.opts.logger;
    const fail = (errors: readonly string[]) => {
      this.reloadOk.set(0);
      const message = errors.join('; ');
      log.error({ errors }, 'configuration reload failed; the previous configuration keeps running');
      return { ok: false, message };
    };
    let next = this.config;
    if (this.opts.configPath) {
      const r = loadConfigFile(this.opts.configPath);
      if (!r.ok) return fail(r.errors.map((e) => `${this.opts.configPath}: ${e}`));
      next = r.config;
    }
    const load = readRuleFilesOf(next, configDirOf(this.opts.configPath));
    if (!load.ok) return fail(load.errors);
    const hooks = this.opts.reloadable ?? [];
    const problems = hooks.flatMap((h) => h.check?.(next) ?? []);
    if (problems.length > 0) return fail(problems);
    try {
      await this.manager.reconfigure(ruleSettings(next.rules, new URL(this.opts.externalURL)));
      await this.manager.update('files', load.groups);
      for (const h of hooks) await h.apply(next);
    } catch (e) {
      return fail([(e as Error).message]);
    }
    const reloadable = new Set([...RELOADABLE, ...hooks.flatMap((h) => h.sections)]);
    const restart = Object.keys(next).filter((k) => !reloadable.has(k) && JSON.stringify((next as Record<string, unknown>)[k]) !== JSON.stringify((this.config as Record<string, unknown>)[k]));
    this.config = next;
    this.reloadOk.set(1);
    this.reloadAt.set(this.opts.clock.now() / 1000);
    const rules = load.groups.reduce((n, g) => n + g.rules.length, 0);
    const message = `configuration reloaded: ${load.files.length} rule file${load.files.length === 1 ? '' : 's'}, ${load.groups.length} group${load.groups.length === 1 ? '' : 's'}, ${rules} rule${rules === 1 ? '' : 's'}${restart.length ? `; changes to ${restart.join(', ')} need a restart` : ''}`;
    log.info({ files: load.files.length, groups: load.groups.length, rules, restart_needed: restart }, message);
    return { ok: true, message };
  }

  /** The routes: /api/v1/rules, /api/v1/alerts and POST /-/reload. */
  routes(app: FastifyInstance): void {
    const groups = () => this.manager.groups();
    registerRulesRoutes(app, { groups });
    registerReloadRoute(app, { reload: () => this.reload() });
  }
}
