import { readFileSync } from 'node:fs';
import type { VigilConfig } from '../config/index.js';
import type { Incident, IncidentService } from '../incidents/index.js';
import type { Clock } from '../model/clock.js';
import { conflict, DomainError } from '../model/errors.js';
import { PageWebhookNotifier, type NotificationMessage, type Notifier, type NotifyResult, type OutboxJob } from '../notify/index.js';
import { EscalationEngine, LinkSigner, OncallDirectory, type Escalation, type EscalationEvent, type LinkAction, type LinkClaims, type PageInfo, type Person } from '../oncall/index.js';
import type { Db } from '../db/database.js';
import { SqlEscalationStore, SqlOverrideStore, SqlPageLinkStore } from '../oncall/store/sql-oncall-store.js';
import { insertOutboxJob } from '../notify/store/sql-outbox-store.js';
import type { Logger } from './logger.js';

export interface PagingOptions {
  readonly config: VigilConfig;
  readonly db: Db;
  readonly clock: Clock;
  readonly incidents: IncidentService;
  readonly externalURL: string;
  readonly logger: Logger;
  readonly userAgent: string;
  /** Wakes the outbox once pages are stored. */
  readonly wakeOutbox: () => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A notifier for one person's contact on a channel (notify's contactNotifier with the app's deps and global). */
  readonly contact: (channel: string, address: string) => { readonly ok: true; readonly notifier: Notifier } | { readonly ok: false; readonly error: string };
}

/** What an ack link stands for, for its confirmation page. */
export type LinkView =
  | { readonly ok: true; readonly claims: LinkClaims; readonly escalation: Escalation; readonly title: string; readonly person: Person | undefined }
  | { readonly ok: false; readonly status: number; readonly message: string };

/**
 * Paging wired into the app: the on-call directory, the escalation engine with its SQL store,
 * pages delivered through the outbox (integration type `page`), ack links, and the incident
 * timeline. The composition root builds one and hands its parts to the outbox, the
 * dispatcher's notify step, the incident service and the API.
 */
export class PagingRuntime {
  readonly directory: OncallDirectory;
  readonly engine: EscalationEngine;
  readonly pager: Notifier;
  private readonly channelNotifiers = new Map<string, Notifier>();

  private constructor(
    private readonly opts: PagingOptions,
    readonly overrides: SqlOverrideStore,
    readonly escalations: SqlEscalationStore,
    private readonly linkStore: SqlPageLinkStore,
    private readonly signer: LinkSigner,
    readonly slackSigningSecret: string | undefined,
  ) {
    this.directory = new OncallDirectory(opts.config, overrides);
    this.engine = new EscalationEngine({
      store: escalations,
      clock: opts.clock,
      directory: () => this.directory,
      links: (p) => this.linksFor(p),
      findIncident: async (fps) => (await opts.incidents.findOpenByAlerts(fps))?.id,
      onEvent: (e, ev) => this.onEvent(e, ev),
      onPagesQueued: () => opts.wakeOutbox(),
      onError: (err) => opts.logger.error({ err }, 'escalation error'),
    });
    this.pager = { notify: (msg, ctx) => this.deliverPage(msg, ctx) };
  }

  static async create(opts: PagingOptions): Promise<PagingRuntime> {
    const overrides = new SqlOverrideStore(opts.db);
    await overrides.load();
    const links = new SqlPageLinkStore(opts.db);
    const signer = new LinkSigner(await links.key());
    const p = opts.config.paging;
    let slack: string | undefined;
    if (p.slack_signing_secret_env) slack = opts.env[p.slack_signing_secret_env];
    if (p.slack_signing_secret_file) slack = readFileSync(p.slack_signing_secret_file, 'utf8').trim();
    return new PagingRuntime(opts, overrides, new SqlEscalationStore(opts.db, insertOutboxJob), links, signer, slack || undefined);
  }

  start(): void {
    this.engine.start();
  }

  stop(): Promise<void> {
    return this.engine.stop();
  }

  private policyOf(receiver: string): string | undefined {
    return this.opts.config.receivers.find((r) => r.name === receiver)?.escalation_policy;
  }

  /** The notify step's hook: a notification to a receiver with an escalation policy drives its escalation. */
  async onNotification(n: NotificationMessage): Promise<void> {
    const policy = this.policyOf(n.receiver);
    if (!policy) return;
    const incident = await this.opts.incidents.findOpenByAlerts(n.alerts.filter((a) => a.status === 'firing').map((a) => a.fingerprint));
    const links = incident ? [{ rel: 'incident', url: `${this.opts.externalURL}/api/v1/incidents/${incident.id}`, text: `Incident ${incident.id}` }] : [];
    const msg = { ...n, links: [...((n as { links?: Array<{ rel: string; url: string; text: string }> }).links ?? []), ...links] };
    await this.engine.onNotification(policy, msg, JSON.stringify(msg));
  }

  /** An incident acknowledged or resolved by anyone stops its escalations. */
  onIncident(incident: Incident): void {
    if (incident.status !== 'acknowledged' && incident.status !== 'resolved') return;
    const by = (incident.status === 'resolved' ? incident.resolvedBy : incident.acknowledgedBy) ?? 'vigil';
    this.engine.onIncident(incident.id, incident.status, by).catch((err) => this.opts.logger.error({ err }, 'stopping escalations of an incident failed'));
  }

  private linksFor(p: PageInfo): Array<{ rel: string; url: string; text: string }> {
    const expires = this.opts.clock.now() + this.opts.config.paging.ack_link_ttl;
    const url = (action: LinkAction) => `${this.opts.externalURL}/ack/${this.signer.sign({ escalation: p.escalation, person: p.person, channel: p.channel, action, expires })}`;
    return [
      { rel: 'ack', url: url('ack'), text: 'Acknowledge' },
      { rel: 'resolve', url: url('resolve'), text: 'Resolve' },
    ];
  }

  private async deliverPage(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const page = (msg as NotificationMessage & { page?: PageInfo }).page;
    if (!page) return { ok: false, retryable: false, error: 'page without a recipient' };
    const notifier = this.channelNotifier(page.channel, page.address);
    if (!notifier.ok) return { ok: false, retryable: false, error: notifier.error };
    return notifier.notifier.notify(msg, ctx);
  }

  private channelNotifier(channel: string, address: string): { ok: true; notifier: Notifier } | { ok: false; error: string } {
    const key = `${channel}\u0000${address}`;
    const cached = this.channelNotifiers.get(key);
    if (cached) return { ok: true, notifier: cached };
    // A person's webhook gets Alertmanager's payload plus the page and its links; other channels
    // are notify's integrations aimed at one address (email, Slack DM, SMS, voice, …).
    const made = channel === 'webhook' ? { ok: true as const, notifier: new PageWebhookNotifier(address, { externalURL: this.opts.externalURL, userAgent: this.opts.userAgent }) } : this.opts.contact(channel, address);
    if (made.ok) this.channelNotifiers.set(key, made.notifier);
    return made;
  }

  /** Outbox callbacks for page jobs: delivered or given up, on the incident timeline. */
  async onPageDone(job: OutboxJob, error?: string): Promise<void> {
    let page: PageInfo | undefined;
    try {
      page = (JSON.parse(job.payload) as { page?: PageInfo }).page;
    } catch {
      page = undefined;
    }
    if (!page) return;
    const e = await this.escalations.get(page.escalation);
    const what = `${page.person} via ${page.channel} (level ${page.level})`;
    this.opts.logger.info({ escalation: page.escalation, person: page.person, channel: page.channel, level: page.level, ok: !error }, error ? 'page failed' : 'page delivered');
    if (!e?.incidentId) return;
    if (error) await this.opts.incidents.record(e.incidentId, 'page_failed', 'vigil', `Page to ${what} failed after ${job.attempts} attempt${job.attempts === 1 ? '' : 's'}: ${error}`, { ...page, address: undefined });
    else await this.opts.incidents.record(e.incidentId, 'page_delivered', 'vigil', `Page to ${what} delivered`, { ...page, address: undefined });
  }

  private async onEvent(e: Escalation, ev: EscalationEvent): Promise<void> {
    const text = describe(e, ev);
    this.opts.logger.info({ escalation: e.id, policy: e.policy, incident: e.incidentId, event: ev.kind }, text);
    if (!e.incidentId) return;
    const kind = ev.kind === 'page_queued' ? 'page_sent' : ev.kind === 'page_skipped' ? 'page_failed' : 'escalation';
    const actor = ev.kind === 'acknowledged' || ev.kind === 'resolved' ? ev.by : 'vigil';
    // `step_at`: when the step ran (the entry itself may be written a little later).
    const data: Record<string, unknown> = { escalation: e.id, event: ev.kind, step_at: new Date(e.updatedAt).toISOString() };
    if (ev.kind === 'page_queued') Object.assign(data, { person: ev.page.person, channel: ev.page.channel, level: ev.page.level, ...(ev.resolved ? { resolved: true } : {}) });
    if (ev.kind === 'acknowledged' || ev.kind === 'resolved') Object.assign(data, { by: ev.by, via: ev.via });
    await this.opts.incidents.record(e.incidentId, kind, actor, text, data);
  }

  /** Checks a link without using it: for the confirmation page. */
  async inspectLink(token: string): Promise<LinkView> {
    const v = this.signer.verify(token, this.opts.clock.now());
    if (!v.ok) return { ok: false, status: v.reason === 'expired' ? 410 : 404, message: v.reason === 'expired' ? 'This link has expired.' : 'This link is not valid.' };
    if (await this.linkStore.used(v.claims.nonce)) return { ok: false, status: 410, message: 'This link has already been used.' };
    const escalation = await this.escalations.get(v.claims.escalation);
    if (!escalation) return { ok: false, status: 404, message: 'This page no longer exists.' };
    const msg = JSON.parse(escalation.message) as { groupLabels?: Record<string, string>; alerts?: Array<{ labels: Record<string, string>; annotations: Record<string, string> }> };
    const first = msg.alerts?.[0];
    const title = first?.annotations['summary'] ?? first?.labels['alertname'] ?? escalation.groupKey;
    return { ok: true, claims: v.claims, escalation, title, person: this.directory.person(v.claims.person) };
  }

  /**
   * Uses a link (once): acknowledges or resolves the escalation and its incident as the person
   * the page was for, through the channel it went out on (`via` overrides, e.g. slack).
   */
  async useLink(token: string, via?: string, as?: string): Promise<{ escalation: Escalation; action: LinkAction }> {
    const view = await this.inspectLink(token);
    if (!view.ok) throw new DomainError(view.status === 410 ? 'conflict' : 'not_found', view.message);
    const { claims } = view;
    const actor = as ?? claims.person;
    const channel = via ?? claims.channel;
    if (!(await this.linkStore.use(claims.nonce, this.opts.clock.now()))) throw conflict('This link has already been used.');
    const e = await this.act(claims.escalation, claims.action, actor, channel);
    return { escalation: e, action: claims.action };
  }

  async act(id: number, action: LinkAction, actor: string, via: string): Promise<Escalation> {
    const e = action === 'ack' ? await this.engine.acknowledge(id, actor, via) : await this.engine.resolve(id, actor, via);
    if (e.incidentId) {
      const inc = (await this.opts.incidents.list({ status: 'open' })).find((i) => i.id === e.incidentId);
      try {
        if (inc && action === 'ack' && inc.status === 'triggered') await this.opts.incidents.acknowledge(inc.id, actor);
        if (inc && action === 'resolve') await this.opts.incidents.resolve(inc.id, actor, `via ${via}`);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
      }
    }
    return e;
  }

  /** The person a Slack member id belongs to. */
  personBySlack(userId: string): string | undefined {
    return this.directory.personNames().find((n) => this.directory.person(n)?.contacts['slack'] === userId);
  }
}

function describe(e: Escalation, ev: EscalationEvent): string {
  switch (ev.kind) {
    case 'level':
      return `Escalation ${e.policy} level ${ev.level}${ev.round > 0 ? ` (repeat ${ev.round})` : ''}: ${ev.people.length ? `paging ${ev.people.join(', ')}` : 'nobody on call, going on'}`;
    case 'page_queued':
      return ev.resolved ? `Telling ${ev.page.person} via ${ev.page.channel} that the alerts resolved` : `Paging ${ev.page.person} via ${ev.page.channel} (level ${ev.page.level})`;
    case 'page_skipped':
      return `Cannot page ${ev.person} via ${ev.channel} (level ${ev.level}): ${ev.reason}`;
    case 'acknowledged':
      return `Page acknowledged by ${ev.by} via ${ev.via}; escalation stopped`;
    case 'resolved':
      return ev.via === 'alerts' ? 'Alerts resolved; escalation stopped' : `Resolved by ${ev.by} via ${ev.via}; escalation stopped`;
    case 'exhausted':
      return `Escalation ${e.policy} exhausted: nobody acknowledged`;
    case 'ack_timeout':
      return 'Acknowledgement timed out while still unresolved: escalating again from level 1';
    default: {
      const never: never = ev;
      return String(never);
    }
  }
}
