import type { Labels } from '../model/labels.js';
import { compileAlertTemplate, expandAlertText, externalLabelsMap, type CompiledText } from './alert-template.js';
import { labelsKey } from './labels-util.js';
import { RuleBase, type EvalContext } from './rule.js';
import type { GoMap } from '../template/index.js';
import type { AlertState, QuerySample, RuleAlertOut } from './types.js';

/** One alert of an alerting rule (Prometheus's rules.Alert). Times in ms; 0 means "not set". */
export interface ActiveAlert {
  state: AlertState;
  labels: Labels;
  annotations: Labels;
  value: number;
  activeAt: number;
  firedAt: number;
  resolvedAt: number;
  lastSentAt: number;
  validUntil: number;
  keepFiringSince: number;
}

/** How long a resolved alert is kept (and re-sent), as Prometheus's resolvedRetention. */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

export class DuplicateAlertLabelSetError extends Error {
  constructor() {
    super('vector contains metrics with the same labelset after applying alert labels');
  }
}

export interface AlertingRuleOptions {
  readonly name: string;
  readonly expr: string;
  readonly holdMs: number;
  readonly keepFiringForMs: number;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly externalLabels: Labels;
  readonly externalURL: string;
  /** False for rules whose `for` state should first be restored from ALERTS_FOR_STATE. */
  readonly restored: boolean;
}

/**
 * An alerting rule: Prometheus's state machine (inactive → pending → firing, `for`,
 * `keep_firing_for`, resolved alerts kept 15 minutes), its ALERTS and ALERTS_FOR_STATE
 * samples, and the label and annotation templates compiled once.
 */
export class AlertingRule extends RuleBase {
  readonly kind = 'alerting' as const;
  readonly holdMs: number;
  readonly keepFiringForMs: number;
  readonly annotations: Labels;
  restored: boolean;
  readonly active = new Map<string, ActiveAlert>();
  private readonly labelTemplates: Array<[string, CompiledText]>;
  private readonly annotationTemplates: Array<[string, CompiledText]>;
  private readonly externalLabelsGo: GoMap;
  private readonly externalURL: string;

  constructor(o: AlertingRuleOptions) {
    super(o.name, o.expr, o.labels);
    this.holdMs = o.holdMs;
    this.keepFiringForMs = o.keepFiringForMs;
    this.annotations = o.annotations;
    this.restored = o.restored;
    this.labelTemplates = Object.entries(o.labels).map(([k, v]) => [k, compileAlertTemplate(o.name, v)]);
    this.annotationTemplates = Object.entries(o.annotations).map(([k, v]) => [k, compileAlertTemplate(o.name, v)]);
    this.externalLabelsGo = externalLabelsMap(o.externalLabels);
    this.externalURL = o.externalURL;
  }

  async eval(ctx: EvalContext): Promise<QuerySample[]> {
    const t = ctx.ts - ctx.queryOffset;
    const res = await ctx.query(this.expr, t, ctx.signal);
    const expandCtx = { query: ctx.query, time: ctx.ts, ...(ctx.externalURL ? { externalURL: ctx.externalURL } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) };
    const onError = (err: Error) => ctx.onTemplateError(err, this);
    const fresh = new Map<string, ActiveAlert>();
    for (const smpl of res) {
      const data = { labels: smpl.labels, externalLabels: this.externalLabelsGo, externalURL: this.externalURL, value: smpl.v };
      const lbls: Record<string, string> = { ...smpl.labels };
      delete lbls['__name__'];
      for (const [k, tpl] of this.labelTemplates) {
        const r = expandAlertText(tpl, data, expandCtx, onError);
        const v = typeof r === 'string' ? r : await r;
        if (v === '') delete lbls[k];
        else lbls[k] = v;
      }
      lbls['alertname'] = this.name;
      const annotations: Record<string, string> = {};
      for (const [k, tpl] of this.annotationTemplates) {
        const r = expandAlertText(tpl, data, expandCtx, onError);
        annotations[k] = typeof r === 'string' ? r : await r;
      }
      const key = labelsKey(lbls);
      if (fresh.has(key)) throw new DuplicateAlertLabelSetError();
      fresh.set(key, { state: 'pending', labels: lbls, annotations, value: smpl.v, activeAt: ctx.ts, firedAt: 0, resolvedAt: 0, lastSentAt: 0, validUntil: 0, keepFiringSince: 0 });
    }
    for (const [key, a] of fresh) {
      const cur = this.active.get(key);
      if (cur && cur.state !== 'inactive') {
        cur.value = a.value;
        cur.annotations = a.annotations;
        continue;
      }
      this.active.set(key, a);
    }
    const out: QuerySample[] = [];
    let activePending = 0;
    for (const [key, a] of this.active) {
      if (!fresh.has(key)) {
        let keepFiring = false;
        if (a.state === 'firing' && this.keepFiringForMs > 0) {
          if (a.keepFiringSince === 0) a.keepFiringSince = ctx.ts;
          if (ctx.ts - a.keepFiringSince < this.keepFiringForMs) keepFiring = true;
        }
        // A resolved alert is kept (and re-sent) for a while so a lost notification is repeated.
        if (a.state === 'pending' || (a.resolvedAt !== 0 && ctx.ts - a.resolvedAt > RESOLVED_RETENTION_MS)) this.active.delete(key);
        if (a.state !== 'inactive' && !keepFiring) {
          a.state = 'inactive';
          a.resolvedAt = ctx.ts;
        }
        if (!keepFiring) continue;
      } else a.keepFiringSince = 0;
      activePending++;
      if (a.state === 'pending' && ctx.ts - a.activeAt >= this.holdMs) {
        a.state = 'firing';
        a.firedAt = ctx.ts;
      }
      // A longer `for` after a reload sends a firing alert back to pending.
      if (a.state === 'firing' && ctx.ts - a.activeAt < this.holdMs) {
        a.state = 'pending';
        a.firedAt = 0;
        a.lastSentAt = 0;
        a.keepFiringSince = 0;
      }
      if (this.restored) {
        out.push({ labels: this.alertsLabels('ALERTS', a, true), t, v: 1 });
        out.push({ labels: this.alertsLabels('ALERTS_FOR_STATE', a, false), t, v: Math.floor(a.activeAt / 1000) });
      }
    }
    if (ctx.limit > 0 && activePending > ctx.limit) {
      this.active.clear();
      throw new Error(`exceeded limit of ${ctx.limit} with ${activePending} alerts`);
    }
    return out;
  }

  /** ALERTS / ALERTS_FOR_STATE labels: the rule's labels, the alert's on top, name and state. */
  private alertsLabels(metric: string, a: ActiveAlert | undefined, withState: boolean): Labels {
    const l: Record<string, string> = { ...this.labels };
    if (a) Object.assign(l, a.labels);
    l['__name__'] = metric;
    l['alertname'] = this.name;
    if (withState && a) l['alertstate'] = a.state;
    for (const k of Object.keys(l)) if (l[k] === '') delete l[k];
    return l;
  }

  /** Equality matchers selecting this rule's ALERTS_FOR_STATE series (templated labels left out). */
  forStateMatchers(): Labels {
    const l = this.alertsLabels('ALERTS_FOR_STATE', undefined, false);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(l)) if (!v.includes('{{')) out[k] = v;
    return out;
  }

  /**
   * The alerts to hand to the pipeline now (Prometheus's sendAlerts): firing and resolved ones
   * not sent within `resendDelay`, each valid for 4 × max(interval, resendDelay).
   */
  alertsToSend(ts: number, resendDelayMs: number, intervalMs: number, externalLabels: Labels, generatorURL: string): RuleAlertOut[] {
    const out: RuleAlertOut[] = [];
    for (const a of this.active.values()) {
      if (a.state === 'pending') continue;
      const resolvedSinceSent = a.resolvedAt > a.lastSentAt;
      if (!resolvedSinceSent && !(a.lastSentAt + resendDelayMs < ts)) continue;
      a.lastSentAt = ts;
      a.validUntil = ts + 4 * Math.max(intervalMs, resendDelayMs);
      const labels: Record<string, string> = { ...a.labels };
      for (const [k, v] of Object.entries(externalLabels)) if (!labels[k]) labels[k] = v;
      out.push({ labels, annotations: { ...a.annotations }, startsAt: a.firedAt, endsAt: a.resolvedAt !== 0 ? a.resolvedAt : a.validUntil, generatorURL });
    }
    return out;
  }

  /** Alerts not resolved (pending or firing), as /api/v1/alerts lists them. */
  activeAlerts(): ActiveAlert[] {
    return [...this.active.values()].filter((a) => a.resolvedAt === 0).map((a) => ({ ...a }));
  }

  /** The highest state of its alerts; `unknown` before the first evaluation. */
  state(): AlertState | 'unknown' {
    if (this.lastEvaluation === 0) return 'unknown';
    let s: AlertState = 'inactive';
    for (const a of this.active.values()) {
      if (a.state === 'firing') return 'firing';
      if (a.state === 'pending') s = 'pending';
    }
    return s;
  }

  override identity(): string {
    return JSON.stringify([this.name, this.expr, this.holdMs, this.keepFiringForMs, sortedEntries(this.labels), sortedEntries(this.annotations)]);
  }
}

function sortedEntries(l: Labels): Array<[string, string]> {
  return Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
