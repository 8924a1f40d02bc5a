import { z } from 'zod';
import { duration } from '../model/schema.js';
import { checksSchema } from '../probes/index.js';
import { rootRouteSchema, checkRouting, type RouteRefs, inhibitRulesSchema, timeIntervalsSchema, muteTimeIntervalsSchema } from '../alerting/index.js';
import { type TemplateFile, contactChannels, globalSchema, receiverProblems, receiverSchema, uniqueReceiverNames } from '../notify/index.js';
import { incidentsConfigSchema } from '../incidents/index.js';
import { alertsConfigSchema } from '../alerts/index.js';
import { reportingConfigSchema, scheduledReportsSchema } from '../reports/index.js';
import { tokenConfigSchema, isLoopback } from '../auth/index.js';
import { serviceSchema } from './services.js';
import { metricsConfigSchema } from './metrics.js';
import { loadTemplates } from './templates.js';
import { scrapeConfigsSchema, remoteWriteConfigsSchema } from '../scrape/index.js';
import { syslogConfigSchema } from '../ingest/index.js';
import { ruleFilesSchema, rulesConfigSchema } from '../rules/index.js';
import { logsConfigSchema } from '../logs/index.js';
import { statusPageConfigSchema } from '../statuspage/index.js';
import { checkOncall, escalationPoliciesSchema, pagingConfigSchema, peopleSchema, schedulesSchema, teamsSchema } from '../oncall/index.js';
import { sloFilesSchema, slosConfigSchema } from '../slo/index.js';
import { maintenanceConfigSchema } from '../maintenance/index.js';

const listenSchema = z
  .string()
  .regex(/^(?:\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'expected HOST:PORT like 127.0.0.1:9797');

export const serverSchema = z
  .strictObject({
    listen: listenSchema.default('127.0.0.1:9797'),
    /** Where links in notifications point; defaults to http://<listen>. */
    external_url: z.url().optional(),
    data_dir: z.string().optional(),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    tokens: z.array(tokenConfigSchema).default([]),
    /** How many checks may run at once. */
    check_concurrency: z.number().int().min(1).max(10_000).default(256),
  })
  .prefault({});

/** The durable delivery of notifications (see docs/notifications.md). */
export const deliverySchema = z
  .strictObject({
    initial_backoff: duration().default(1000),
    max_backoff: duration().default(300_000),
    /** A notification still failing this long after it was queued is given up and recorded. */
    give_up_after: duration().default(3600_000),
    /** Notifications being delivered at once, over all receivers. */
    concurrency: z.number().int().min(1).max(1000).default(32),
  })
  .prefault({});

/** A receiver may page people through an escalation policy, besides (or instead of) its integrations. */
const pagingReceiversSchema = z.array(
  receiverSchema.extend({
    /** See docs/oncall.md. */
    escalation_policy: z.string().min(1, 'must not be empty').optional(),
  }),
).superRefine(uniqueReceiverNames);

/** Used when the file has no `route:`: everything goes to the console. */
const DEFAULT_ROUTE = { receiver: 'console' };
const DEFAULT_RECEIVERS = [{ name: 'console', log_configs: [{}] }];

const sections = {
  server: serverSchema,
  services: z.array(serviceSchema).default([]),
  checks: checksSchema.default([]),
  /** Alertmanager's global notifier settings (smtp_*, slack_*, …) and Vigil's (twilio_*, ntfy_*). */
  global: globalSchema,
  /** Go template files (paths or globs) whose defines notification templates may use. */
  templates: z.array(z.string().min(1, 'must not be empty')).default([]),
  receivers: pagingReceiversSchema.optional(),
  route: rootRouteSchema.optional(),
  /** Alertmanager's inhibit_rules: while a source alert fires, matching target alerts are muted. */
  inhibit_rules: inhibitRulesSchema.default([]),
  /** Alertmanager's named time intervals for routes' mute_time_intervals / active_time_intervals. */
  time_intervals: timeIntervalsSchema.default([]),
  /** The same, under Alertmanager's older top-level name. */
  mute_time_intervals: muteTimeIntervalsSchema.default([]),
  /** The alert pipeline's persistence (docs/alerting.md, durability). */
  alerts: alertsConfigSchema,
  incidents: incidentsConfigSchema,
  delivery: deliverySchema,
  logs: logsConfigSchema,
  metrics: metricsConfigSchema,
  scrape_configs: scrapeConfigsSchema.default([]),
  remote_write: remoteWriteConfigsSchema.default([]),
  /** Syslog receivers (RFC 5424/3164 over UDP and TCP) feeding the log store. */
  syslog: syslogConfigSchema.optional(),
  /** On-call: who can be paged, when, and in which order (docs/oncall.md). */
  people: peopleSchema.default([]),
  teams: teamsSchema.default([]),
  schedules: schedulesSchema.default([]),
  escalation_policies: escalationPoliciesSchema.default([]),
  paging: pagingConfigSchema,
  /** Prometheus rule files: paths or globs, relative to the config file. */
  rule_files: ruleFilesSchema.default([]),
  /** Rule evaluation defaults (evaluation_interval, external_labels, the alert restore and resend settings). */
  rules: rulesConfigSchema,
  /** The public status page served at /status (docs/status-page.md). */
  status_page: statusPageConfigSchema.optional(),
  /** Service level objectives, compiled into recording rules and burn-rate alerts (docs/slo.md). */
  slos: slosConfigSchema.default([]),
  /** OpenSLO v1 files: paths or globs, relative to the config file. */
  slo_files: sloFilesSchema.default([]),
  /** Planned maintenance windows: their services' alerts are muted (docs/maintenance.md). */
  maintenance: maintenanceConfigSchema.default([]),
  /** What the operations reports show and their time zone (docs/reports.md). */
  reporting: reportingConfigSchema,
  /** Reports sent on a schedule through receivers. */
  reports: scheduledReportsSchema,
};

/** The file's shape, each section validated on its own. */
export const baseConfigSchema = z.strictObject(sections);
type BaseConfig = z.output<typeof baseConfigSchema>;

export interface CrossIssue {
  readonly path: Array<string | number>;
  readonly message: string;
}

const asObject = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function routeRefs(raw: unknown): RouteRefs {
  const r = asObject(raw);
  const names = (k: string) => asArray(r[k]).flatMap((v) => asString(v) ?? []);
  return { receiver: asString(r['receiver']), routes: asArray(r['routes']).map(routeRefs), mute_time_intervals: names('mute_time_intervals'), active_time_intervals: names('active_time_intervals') };
}

/** Names under time_intervals and mute_time_intervals, each unique within its section (Alertmanager's messages). */
function timeIntervalNames(raw: Record<string, unknown>, issues: CrossIssue[]): Set<string> {
  const all = new Set<string>();
  for (const [key, what] of [['mute_time_intervals', 'mute time interval'], ['time_intervals', 'time interval']] as const) {
    const seen = new Set<string>();
    asArray(raw[key]).forEach((t, i) => {
      const name = asString(asObject(t)['name']);
      if (name === undefined) return;
      if (seen.has(name)) issues.push({ path: [key, i, 'name'], message: `${what} ${JSON.stringify(name)} is not unique` });
      seen.add(name);
      all.add(name);
    });
  }
  return all;
}

/**
 * Checks that span sections (references between them, and what `vigil server` would refuse).
 * Reads the raw file leniently, so a section with a schema error still has its references
 * checked: one run reports every problem.
 */
export function crossCheck(raw: Record<string, unknown>, baseDir = process.cwd()): CrossIssue[] {
  const issues: CrossIssue[] = [];
  const services = asArray(raw['services']).map((s) => asString(asObject(s)['name']));
  const names = new Set<string>();
  services.forEach((name, i) => {
    if (name === undefined) return;
    if (names.has(name)) issues.push({ path: ['services', i, 'name'], message: `duplicate service name "${name}"` });
    names.add(name);
  });
  if (names.size > 0) {
    asArray(raw['services']).forEach((s, i) =>
      asArray(asObject(s)['depends_on']).forEach((d, j) => {
        if (typeof d === 'string' && !names.has(d)) issues.push({ path: ['services', i, 'depends_on', j], message: `unknown service "${d}"` });
      }),
    );
    asArray(raw['checks']).forEach((ch, i) => {
      const service = asString(asObject(ch)['service']);
      if (service && !names.has(service)) issues.push({ path: ['checks', i, 'service'], message: `unknown service "${service}" (declare it under services:)` });
    });
    asArray(raw['slos']).forEach((slo, i) => {
      const service = asString(asObject(slo)['service']);
      if (service && !names.has(service)) issues.push({ path: ['slos', i, 'service'], message: `unknown service "${service}" (declare it under services:)` });
    });
    asArray(raw['maintenance']).forEach((w, i) =>
      asArray(asObject(w)['services']).forEach((s, j) => {
        if (typeof s === 'string' && !names.has(s)) issues.push({ path: ['maintenance', i, 'services', j], message: `unknown service "${s}" (declare it under services:)` });
      }),
    );
  }
  // A status page component shows a service Vigil knows: declared, or named by a check.
  const known = new Set([...names, ...asArray(raw['checks']).flatMap((ch) => asString(asObject(ch)['service']) ?? [])]);
  asArray(asObject(raw['status_page'])['components']).forEach((c, i) => {
    const service = asString(asObject(c)['service']);
    if (service && !known.has(service)) issues.push({ path: ['status_page', 'components', i, 'service'], message: `unknown service "${service}" (declare it under services: or name it in a check)` });
  });
  const checkNames = new Set(asArray(raw['checks']).flatMap((c) => asString(asObject(c)['name']) ?? []));
  asArray(raw['slos']).forEach((slo, i) => {
    const check = asString(asObject(asObject(slo)['sli'])['check']);
    if (check !== undefined && !checkNames.has(check)) issues.push({ path: ['slos', i, 'sli', 'check'], message: `unknown check "${check}" (an SLI of kind check names one of checks:)` });
  });
  if (raw['route'] !== undefined && raw['receivers'] === undefined) issues.push({ path: ['receivers'], message: 'a route needs receivers' });
  if (raw['route'] !== undefined && raw['receivers'] !== undefined) {
    const receivers = asArray(raw['receivers']).flatMap((r) => {
      const name = asString(asObject(r)['name']);
      return name === undefined ? [] : [{ name }];
    });
    for (const issue of checkRouting(routeRefs(raw['route']), receivers, timeIntervalNames(raw, issues))) issues.push({ path: [...issue.path], message: issue.message });
  } else {
    timeIntervalNames(raw, issues);
  }
  // On-call references are checked on the sections that parsed.
  const oncall = parseSections(raw);
  for (const issue of checkOncall(oncall)) issues.push(issue);
  // A channel a person is reached by needs a notifier that serves it.
  const channels = contactChannels();
  oncall.people?.forEach((p, i) =>
    p.notification_rules?.forEach((r, j) =>
      r.via.forEach((ch, k) => {
        if (!channels.has(ch)) issues.push({ path: ['people', i, 'notification_rules', j, 'via', k], message: `no notifier serves channel ${ch} in this version (available: ${[...channels.keys()].sort().join(', ')})` });
      }),
    ),
  );
  const receiverNames = new Set(asArray(raw['receivers']).flatMap((r) => asString(asObject(r)['name']) ?? []));
  if (raw['receivers'] === undefined) receiverNames.add('console');
  asArray(raw['reports']).forEach((r, i) =>
    asArray(asObject(r)['receivers']).forEach((name, j) => {
      if (typeof name === 'string' && !receiverNames.has(name)) issues.push({ path: ['reports', i, 'receivers', j], message: `unknown receiver "${name}" (declare it under receivers:)` });
    }),
  );
  const declared = new Set(services.flatMap((s) => s ?? []));
  asArray(asObject(raw['reporting'])['performance']).forEach((e, i) =>
    asArray(asObject(e)['services']).forEach((name, j) => {
      if (typeof name === 'string' && !declared.has(name)) issues.push({ path: ['reporting', 'performance', i, 'services', j], message: `unknown service "${name}" (declare it under services:)` });
    }),
  );
  const policies = new Set(asArray(raw['escalation_policies']).flatMap((p) => asString(asObject(p)['name']) ?? []));
  asArray(raw['receivers']).forEach((r, i) => {
    const policy = asString(asObject(r)['escalation_policy']);
    if (policy !== undefined && !policies.has(policy)) {
      issues.push({ path: ['receivers', i, 'escalation_policy'], message: `unknown escalation policy ${JSON.stringify(policy)} (declare it under escalation_policies:)` });
    }
  });
  const typed = parseSections(raw);
  const templates = loadTemplates(typed.templates ?? [], baseDir);
  for (const issue of templates.issues) issues.push(issue);
  if (typed.receivers && typed.global) for (const issue of receiverProblems(typed.receivers, typed.global, templates.engine)) issues.push({ path: [...issue.path], message: issue.message });
  const server = asObject(raw['server']);
  const tokens = asArray(server['tokens']);
  const tokenNames = new Set<string>();
  tokens.forEach((t, i) => {
    const name = asString(asObject(t)['name']);
    if (name === undefined) return;
    if (tokenNames.has(name)) issues.push({ path: ['server', 'tokens', i, 'name'], message: `duplicate token name "${name}"` });
    tokenNames.add(name);
  });
  const listen = asString(server['listen']);
  if (listen !== undefined && tokens.length === 0) {
    const host = listen.slice(0, listen.lastIndexOf(':'));
    if (host && !isLoopback(host)) {
      issues.push({
        path: ['server', 'listen'],
        message: `listening on ${listen} needs server.tokens: without them anyone who can reach it could act on incidents (or listen on 127.0.0.1)`,
      });
    }
  }
  return issues;
}

/** Validated config with defaults applied: a file without `route:` sends everything to the console. */
export function withDefaults(c: BaseConfig, templateFiles: readonly TemplateFile[] = []) {
  return {
    ...c,
    /** The contents of the `templates:` files, read at load. */
    template_files: templateFiles,
    route: c.route ?? rootRouteSchema.parse(DEFAULT_ROUTE),
    receivers: c.receivers ?? pagingReceiversSchema.parse(DEFAULT_RECEIVERS),
  };
}

export type VigilConfig = ReturnType<typeof withDefaults>;

/** Parses each known section of `raw` on its own; the ones that are valid, for typed cross-checks. */
export function parseSections(raw: Record<string, unknown>): Partial<BaseConfig> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(sections)) {
    const r = (schema as z.ZodType).safeParse(raw[key]);
    if (r.success) out[key] = r.data;
  }
  return out as Partial<BaseConfig>;
}
