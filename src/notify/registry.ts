import type { ReceiverConfig } from './config.js';
import { LogNotifier } from './log.js';
import type { NotificationMessage } from './message.js';
import type { Notifier } from './notifier.js';
import type { NewJob } from './outbox-store.js';
import { WebhookNotifier } from './webhook.js';

/** What notifiers may need from the app. */
export interface NotifierDeps {
  readonly externalURL: string;
  /** Where the log receiver writes its lines. */
  readonly logLine: (line: string) => void;
  readonly userAgent?: string;
}

type ConfigKey = Exclude<keyof ReceiverConfig, 'name'>;
type ConfigOf<K extends ConfigKey> = NonNullable<ReceiverConfig[K]>[number];

interface Factory<K extends ConfigKey> {
  readonly type: string;
  readonly create: (config: ConfigOf<K>, deps: NotifierDeps) => Notifier;
}

/** The notifier table: a receiver config key, its integration type and factory. One line per notifier. */
export const NOTIFIER_FACTORIES: { readonly [K in ConfigKey]-?: Factory<K> } = {
  webhook_configs: { type: 'webhook', create: (c, deps) => new WebhookNotifier(c, deps) },
  log_configs: { type: 'log', create: (c, deps) => new LogNotifier(c, deps.logLine) },
};

/** One configured integration: `webhook[0]` of receiver `ops`. */
export interface Integration {
  readonly receiver: string;
  readonly type: string;
  /** Index among the receiver's integrations of the same type. */
  readonly index: number;
  readonly sendResolved: boolean;
  readonly notifier: Notifier;
}

export class Integrations {
  private readonly byReceiver = new Map<string, Integration[]>();

  constructor(integrations: readonly Integration[]) {
    for (const i of integrations) {
      const list = this.byReceiver.get(i.receiver) ?? [];
      list.push(i);
      this.byReceiver.set(i.receiver, list);
    }
  }

  /** Builds every integration of validated receivers (see receiversSchema). */
  static fromConfig(receivers: readonly ReceiverConfig[], deps: NotifierDeps): Integrations {
    const out: Integration[] = [];
    for (const r of receivers) {
      for (const key of Object.keys(NOTIFIER_FACTORIES) as ConfigKey[]) {
        const factory = NOTIFIER_FACTORIES[key] as Factory<ConfigKey>;
        (r[key] ?? []).forEach((cfg: ConfigOf<ConfigKey>, index: number) => {
          out.push({ receiver: r.name, type: factory.type, index, sendResolved: cfg.send_resolved, notifier: factory.create(cfg, deps) });
        });
      }
    }
    return new Integrations(out);
  }

  forReceiver(receiver: string): readonly Integration[] {
    return this.byReceiver.get(receiver) ?? [];
  }

  get(receiver: string, type: string, index: number): Integration | undefined {
    return this.forReceiver(receiver).find((i) => i.type === type && i.index === index);
  }

  /** Whether resolved alerts are news to the receiver: any of its integrations sends them. */
  sendResolved(receiver: string): boolean {
    return this.forReceiver(receiver).some((i) => i.sendResolved);
  }

  /**
   * The outbox jobs for one notification, one per integration, with send_resolved applied
   * generically as Alertmanager's RetryStage does: without it, resolved alerts are dropped and
   * a notification with no firing alert left (or one that only changed the resolved set) is
   * not sent to that integration.
   */
  plan(msg: NotificationMessage, now: number): NewJob[] {
    const jobs: NewJob[] = [];
    for (const integ of this.forReceiver(msg.receiver)) {
      let alerts = msg.alerts;
      if (!integ.sendResolved) {
        if (msg.onlyResolvedChanged) continue;
        alerts = alerts.filter((a) => a.status === 'firing');
        if (alerts.length === 0) continue;
      }
      const payload: NotificationMessage = { ...msg, alerts };
      jobs.push({
        receiver: msg.receiver,
        integrationType: integ.type,
        integrationIndex: integ.index,
        groupKey: msg.groupKey,
        fingerprints: alerts.map((a) => a.fingerprint),
        payload: JSON.stringify(payload),
        createdAt: now,
      });
    }
    return jobs;
  }
}
