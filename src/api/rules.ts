import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseExpr } from '../promql/index.js';
import { matchesAll, type Matcher } from '../model/matcher.js';
import { AlertingRule, RecordingRule, type ActiveAlert, type Group } from '../rules/index.js';
import { formatFloat } from '../template/index.js';

/**
 * Prometheus's `GET /api/v1/rules` and `GET /api/v1/alerts`, byte-compatible in shape (field
 * names and order, times as Go prints them, values as strings), with the 3.x filters
 * (`type`, `rule_name[]`, `rule_group[]`, `file[]`, `match[]`, `exclude_alerts`, pagination by
 * `group_limit`/`group_next_token`) so Grafana and scripts that read Prometheus read Vigil.
 */
export interface RulesApiDeps {
  /** The rule groups, sorted by file then name. */
  readonly groups: () => readonly Group[];
}

class BadParam extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(`invalid parameter "${param}": ${message}`);
  }
}

/** Go's time.Time JSON (RFC 3339 with nanoseconds, trailing zeros dropped); 0 is Go's zero time. */
export function goTimeJSON(ms: number, subMsNs = 0): string {
  if (ms === 0) return '0001-01-01T00:00:00Z';
  const iso = new Date(ms).toISOString();
  const ns = (((ms % 1000) + 1000) % 1000) * 1e6 + subMsNs;
  const frac = ns === 0 ? '' : `.${String(ns).padStart(9, '0').replace(/0+$/, '')}`;
  return `${iso.slice(0, 19)}${frac}Z`;
}

function sorted(l: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(l).sort()) out[k] = l[k] as string;
  return out;
}

/** The sub-millisecond part of a group's slots, so alert times print as Prometheus's do. */
function subMs(g: Group): number {
  return Number(g.offsetNs % 1_000_000n);
}

export function alertJSON(a: ActiveAlert, g: Group) {
  return {
    labels: sorted(a.labels),
    annotations: sorted(a.annotations),
    state: a.state,
    activeAt: goTimeJSON(a.activeAt, a.activeAt % 1000 === 0 ? 0 : subMs(g)),
    ...(a.keepFiringSince !== 0 ? { keepFiringSince: goTimeJSON(a.keepFiringSince, subMs(g)) } : {}),
    value: formatFloat(a.value, 'e', -1),
  };
}

function params(req: FastifyRequest): URLSearchParams {
  const q = req.raw.url?.split('?')[1] ?? '';
  const p = new URLSearchParams(q);
  if (req.body instanceof URLSearchParams) for (const [k, v] of req.body) p.append(k, v);
  return p;
}

function matcherSets(texts: readonly string[]): Matcher[][] {
  return texts.map((t) => {
    let e;
    try {
      e = parseExpr(t);
    } catch (err) {
      throw new BadParam('match[]', (err as Error).message);
    }
    if (e.type !== 'VectorSelector') throw new BadParam('match[]', `expected a series selector, got ${JSON.stringify(t)}`);
    return [...e.matchers];
  });
}

function ok(reply: FastifyReply, data: unknown) {
  return reply.send({ status: 'success', data });
}

function bad(reply: FastifyReply, err: unknown) {
  if (err instanceof BadParam) return reply.status(400).send({ status: 'error', errorType: 'bad_data', error: err.message });
  throw err;
}

export function registerRulesRoutes(app: FastifyInstance, deps: RulesApiDeps): void {
  const viewer = { config: { role: 'viewer' as const, errorShape: 'prometheus' as const } };

  app.get('/api/v1/rules', viewer, async (req, reply) => {
    try {
      const p = params(req);
      const type = (p.get('type') ?? '').toLowerCase();
      if (type !== '' && type !== 'alert' && type !== 'record') throw new BadParam('type', `not supported value ${JSON.stringify(type)}`);
      const excl = (p.get('exclude_alerts') ?? '').toLowerCase();
      if (excl !== '' && !['true', 'false', '1', '0', 't', 'f'].includes(excl)) throw new BadParam('exclude_alerts', `error converting exclude_alerts: strconv.ParseBool: parsing ${JSON.stringify(excl)}: invalid syntax`);
      const excludeAlerts = excl === 'true' || excl === '1' || excl === 't';
      const names = new Set(p.getAll('rule_name[]'));
      const groupNames = new Set(p.getAll('rule_group[]'));
      const files = new Set(p.getAll('file[]'));
      const sets = matcherSets(p.getAll('match[]'));
      const limitText = p.get('group_limit');
      const nextToken = p.get('group_next_token') ?? '';
      if (nextToken !== '' && limitText === null) throw new BadParam('group_next_token', 'group_limit needs to be present in order to paginate over the groups');
      let limit = -1;
      if (limitText !== null) {
        if (!/^-?\d+$/.test(limitText)) throw new BadParam('group_limit', `group_limit needs to be a valid number: strconv.ParseInt: parsing ${JSON.stringify(limitText)}: invalid syntax`);
        limit = Number(limitText);
        if (limit <= 0) throw new BadParam('group_limit', 'group_limit needs to be greater than 0');
      }
      const out: unknown[] = [];
      let foundToken = false;
      let next: string | undefined;
      for (const g of deps.groups()) {
        const token = groupToken(g);
        if (limit > 0 && nextToken !== '' && !foundToken) {
          if (token !== nextToken) continue;
          foundToken = true;
        }
        if (groupNames.size > 0 && !groupNames.has(g.name)) continue;
        if (files.size > 0 && !files.has(g.file)) continue;
        const rules: unknown[] = [];
        for (const r of g.rules) {
          if (sets.length > 0 && !sets.some((ms) => matchesAll(ms, r.labels))) continue;
          if (names.size > 0 && !names.has(r.name)) continue;
          const common = { health: r.health, ...(r.lastError !== undefined ? { lastError: r.lastError } : {}), evaluationTime: r.evaluationTime, lastEvaluation: goTimeJSON(r.lastEvaluation) };
          if (r instanceof AlertingRule && type !== 'record') {
            rules.push({
              state: r.state(),
              name: r.name,
              query: r.expr,
              duration: r.holdMs / 1000,
              keepFiringFor: r.keepFiringForMs / 1000,
              labels: sorted(r.labels),
              annotations: sorted(r.annotations),
              alerts: excludeAlerts ? null : r.activeAlerts().map((a) => alertJSON(a, g)),
              ...common,
              type: 'alerting',
            });
          } else if (r instanceof RecordingRule && type !== 'alert') {
            rules.push({ name: r.name, query: r.expr, labels: sorted(r.labels), ...common, type: 'recording' });
          }
        }
        if (rules.length === 0) continue;
        if (limit > 0 && out.length === limit) {
          next = token;
          break;
        }
        out.push({ name: g.name, file: g.file, rules, interval: g.intervalMs / 1000, limit: g.limit, evaluationTime: g.evaluationTime, lastEvaluation: goTimeJSON(g.lastEvaluation) });
      }
      if (limit > 0 && nextToken !== '' && !foundToken) throw new BadParam('group_next_token', `invalid group_next_token '${nextToken}'. were rule groups changed?`);
      return ok(reply, { groups: out, ...(next !== undefined ? { groupNextToken: next } : {}) });
    } catch (e) {
      return bad(reply, e);
    }
  });
}

/** Prometheus's `GET /api/v1/alerts`: the pending and firing alerts of every alerting rule. */
export function registerRuleAlertsRoute(app: FastifyInstance, deps: RulesApiDeps): void {
  app.get('/api/v1/alerts', { config: { role: 'viewer' as const, errorShape: 'prometheus' as const } }, async (_req, reply) => {
    const alerts: unknown[] = [];
    for (const g of deps.groups()) for (const r of g.rules) if (r instanceof AlertingRule) for (const a of r.activeAlerts()) alerts.push(alertJSON(a, g));
    return ok(reply, { alerts });
  });
}

/**
 * `POST /-/reload` (Prometheus's lifecycle endpoint, role admin): reloads the configuration and
 * rule files; 200 with a summary, or 500 with why and the old configuration still running.
 */
export function registerReloadRoute(app: FastifyInstance, deps: { readonly reload: () => Promise<{ ok: boolean; message: string }> }): void {
  app.post('/-/reload', { config: { role: 'admin' as const, errorShape: 'text' as const } }, async (_req, reply) => {
    const r = await deps.reload();
    return reply.code(r.ok ? 200 : 500).type('text/plain; charset=utf-8').send(r.ok ? `${r.message}\n` : `failed to reload config: ${r.message}\n`);
  });
}

/** Prometheus's getRuleGroupNextToken: sha256 of `file;name`, hex. */
function groupToken(g: Group): string {
  return createHash('sha256').update(`${g.file};${g.name}`).digest('hex');
}
