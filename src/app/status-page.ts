import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Kysely } from 'kysely';
import { NOTIFIERS, type NotifierDeps, type NotifyResult, type Outbox } from '../notify/index.js';
import { registerStatusPageRoutes, type RouteModule } from '../api/index.js';
import type { VigilConfig } from '../config/index.js';
import type { IncidentService } from '../incidents/index.js';
import type { Clock } from '../model/clock.js';
import type { CheckRuntime } from '../probes/index.js';
import type { SqlCheckStore } from '../probes/store/sql-check-store.js';
import { MaintenanceNotices, NOTICE_TYPES, PublicUpdates, StatusPage, Subscriptions, updateNotice, type MaintenanceSource, type NoticePayload, type PageLinks, type PlannedWindow } from '../statuspage/index.js';
import { insertOutboxJob } from '../notify/store/sql-outbox-store.js';
import { SqlNoticeLog } from '../statuspage/store/sql-notice-log.js';
import { SqlUpdateStore } from '../statuspage/store/sql-update-store.js';
import { SqlSubscriberStore } from '../statuspage/store/sql-subscriber-store.js';
import type { StatusTables } from '../statuspage/store/tables.js';

export interface StatusPageWiring {
  readonly config: VigilConfig;
  readonly db: Kysely<StatusTables>;
  readonly checks: CheckRuntime;
  readonly checkStore: SqlCheckStore;
  readonly incidents: IncidentService;
  readonly clock: Clock;
  readonly externalURL: string;
  /** Maintenance windows, and their events (scheduled, started, ended…) for subscribers' notices. */
  readonly maintenance?: MaintenanceSource & { subscribe(listener: (ev: { readonly kind: string; readonly window: PlannedWindow }) => void): () => void };
  readonly outbox: Outbox;
  /** The server's secret key (data dir): subscribers' link tokens derive from it. */
  readonly key: Buffer;
  readonly onError: (err: unknown, what: string) => void;
}

const PRIVATE = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

function privateIp(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return PRIVATE.check(mapped[1], 'ipv4');
  const v = isIP(ip);
  return v === 0 ? true : PRIVATE.check(ip, v === 4 ? 'ipv4' : 'ipv6');
}

/** Why a webhook URL from the public form may not be used: it names or resolves to a loopback, private or link-local address. */
export async function webhookTargetProblem(url: URL): Promise<string | undefined> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addrs: string[];
  try {
    addrs = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `the webhook host ${host} does not resolve`;
  }
  if (host === 'localhost' || addrs.some(privateIp)) return `the webhook URL points at a private or local address (${host}); only public addresses are accepted here`;
  return undefined;
}

/** Delivers status page notices: email through the email notifier (global.smtp_*), webhooks as a JSON POST. */
export function statusDeliverers(config: VigilConfig, deps: NotifierDeps): Record<string, (payload: string, ctx: { readonly signal: AbortSignal }) => Promise<NotifyResult>> {
  const spec = NOTIFIERS.email_configs;
  return {
    [NOTICE_TYPES.email]: async (payload, ctx) => {
      const p = JSON.parse(payload) as NoticePayload;
      const parsed = spec.schema.parse({
        to: p.to,
        headers: { Subject: '{{ .CommonAnnotations.subject }}', 'List-Unsubscribe': '<{{ .CommonAnnotations.unsubscribe }}>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        text: '{{ .CommonAnnotations.text }}',
        html: '{{ .CommonAnnotations.html | safeHtml }}',
      });
      const { config: email, problems } = spec.applyGlobal(parsed, config.global);
      if (problems[0]) return { ok: false, retryable: false, error: `status page email: ${problems[0].message}` };
      const now = deps.now?.() ?? Date.now();
      return spec.create(email, deps).notify(
        {
          receiver: 'status-page',
          groupKey: 'status-page',
          groupLabels: {},
          alerts: [{ status: 'firing', labels: {}, annotations: { subject: p.subject, text: p.text, html: p.html, unsubscribe: p.unsubscribe }, startsAt: now, endsAt: 0, generatorURL: '', fingerprint: '' }],
        },
        ctx,
      );
    },
    [NOTICE_TYPES.webhook]: async (payload, ctx) => {
      const p = JSON.parse(payload) as NoticePayload;
      const u = new URL(p.to);
      const where = `${u.protocol}//${u.host}`;
      if (!config.status_page?.subscriptions.allow_private_webhooks) {
        // Checked again at delivery: a name may resolve elsewhere than when it subscribed.
        const why = await webhookTargetProblem(u);
        if (why) return { ok: false, retryable: false, error: `status page webhook ${where}: ${why}` };
      }
      try {
        const res = await fetch(p.to, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': deps.userAgent ?? 'Vigil' },
          body: JSON.stringify(p.body ?? {}),
          signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]),
          redirect: 'manual',
        });
        await res.text().catch(() => '');
        if (res.status >= 200 && res.status < 300) return { ok: true };
        return { ok: false, retryable: res.status >= 500 || res.status === 429, error: `status page webhook ${where} answered ${res.status}` };
      } catch (err) {
        return { ok: false, retryable: true, error: `status page webhook ${where}: ${(err as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable'}` };
      }
    },
  };
}

/** Where the public pages live under server.external_url (a proxy may serve Vigil under a path). */
export function statusLinks(externalURL: string): { links: PageLinks; url: string } {
  const root = externalURL.replace(/\/+$/, '');
  const base = `${new URL(root).pathname.replace(/\/+$/, '')}/status`;
  return { links: { base, json: `${base}.json`, feed: `${base}/feed.atom` }, url: `${root}/status` };
}

/**
 * Builds the status page, its public updates and their routes, and — with subscribers and
 * maintenance windows — the maintenance notices (`notices.reconcile()` once at startup catches
 * up on what passed while the server was down; each window event looks again).
 */
export function buildStatusPage(w: StatusPageWiring): { route: RouteModule; page: StatusPage | undefined; updates: PublicUpdates; subscriptions: Subscriptions | undefined; notices: MaintenanceNotices | undefined } {
  const sc = w.config.status_page;
  const { links, url } = statusLinks(w.externalURL);
  const g = w.config.global;
  const subscriptions = sc
    ? new Subscriptions({
        store: new SqlSubscriberStore(w.db),
        config: sc.subscriptions,
        emailAvailable: Boolean(g.smtp_smarthost && g.smtp_from),
        title: sc.title,
        pageURL: url,
        key: createHmac('sha256', w.key).update('status-page-subscribers').digest(),
        now: () => w.clock.now(),
        enqueue: async (job) => {
          await w.outbox.enqueue(job);
        },
        log: new SqlNoticeLog(w.db, insertOutboxJob),
        checkWebhook: webhookTargetProblem,
      })
    : undefined;
  const page = sc
    ? new StatusPage({
        config: sc,
        checks: w.checks,
        incidents: w.incidents,
        ...(w.maintenance ? { maintenance: w.maintenance } : {}),
        updates: new SqlUpdateStore(w.db),
        daily: (checks, from, to) => w.checkStore.daily(checks, from, to),
        now: () => w.clock.now(),
      })
    : undefined;
  const updates = new PublicUpdates({
    store: new SqlUpdateStore(w.db),
    incident: async (id) => (await w.incidents.detail(id)).incident,
    now: () => w.clock.now(),
    onPosted: async (u) => {
      page?.invalidate();
      await w.incidents.record(u.incidentId, 'public_update', u.author, `Public update (${u.status})${u.title ? ` titled "${u.title}"` : ''}: ${u.message}`, { status: u.status, update_id: u.id });
      if (!page || !subscriptions) return;
      // The update is stored whatever happens to its notices; they are queued durably before the answer.
      try {
        const snap = await page.snapshot();
        const pub = [...snap.active, ...snap.past].find((i) => i.id === u.incidentId);
        if (pub) await subscriptions.send(updateNotice(snap, pub, url));
      } catch (err) {
        w.onError(err, 'queueing status page notices');
      }
    },
  });
  const notices =
    page && subscriptions && w.maintenance && sc
      ? new MaintenanceNotices({
          windows: w.maintenance,
          components: sc.components,
          subscribers: {
            sendOnce: async (key, subject, n) => {
              const queued = await subscriptions.sendOnce(key, subject, n);
              // The jobs were stored in the notice's own transaction.
              if (queued) w.outbox.poke();
              return queued;
            },
            sentAbout: (subject) => subscriptions.sentAbout(subject),
          },
          snapshot: () => page.snapshot(),
          pageURL: url,
          now: () => w.clock.now(),
          onError: (err) => w.onError(err, 'queueing status page maintenance notices'),
        })
      : undefined;
  if (notices && w.maintenance) {
    w.maintenance.subscribe((ev) => {
      page?.invalidate();
      void notices.onEvent(ev);
    });
  }
  const route: RouteModule = (a) =>
    registerStatusPageRoutes(a, {
      updates,
      ...(page ? { page: { page, links, url, subscribe: subscriptions?.channels ?? { email: false, webhook: false }, ...(subscriptions ? { subscriptions } : {}) } } : {}),
    });
  return { route, page, updates, subscriptions, notices };
}
