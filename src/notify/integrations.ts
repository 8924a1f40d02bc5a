import type { ReceiverConfig } from './config.js';
import { DEFAULT_GLOBAL } from './global.js';
import type { GlobalConfig } from './global.js';
import type { NotificationMessage } from './message.js';
import type { Notifier } from './notifier.js';
import type { NewJob } from './outbox-store.js';
import { NOTIFIER_KEYS, specOf } from './registry.js';
import type { NotifierDeps } from './spec.js';
import { sendResolvedOf } from './spec.js';
import { stringifyFlat } from '../model/flat-json.js';

/** One configured integration: `webhook[0]` of receiver `ops`. */
export interface Integration {
  readonly receiver: string;
  readonly type: string;
  /** Index among the receiver's integrations of the same type. */
  readonly index: number;
  readonly sendResolved: boolean;
  readonly notifier: Notifier;
}

const planned = new WeakMap<NewJob, NotificationMessage>();

/**
 * A job whose payload is written from its message each time it is read — once, by the insert
 * that stores it — instead of when it is planned: a flush's payloads (tens of KB each) then
 * exist only while their statement is sent to the database, not for as long as the flush's
 * transaction waits for the connection, which was long enough to promote them to V8's old
 * generation.
 */
function lazyJob(fields: Omit<NewJob, 'payload'>, msg: NotificationMessage): NewJob {
  const job = { ...fields } as NewJob;
  Object.defineProperty(job, 'payload', { enumerable: true, get: () => stringifyFlat(msg) });
  return job;
}

/** The message a job planned by Integrations.plan carries as its payload (for Outbox.handOff). */
export function plannedMessage(job: NewJob): NotificationMessage | undefined {
  return planned.get(job);
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

  /**
   * Builds every integration of validated receivers (see receiversSchema), each completed
   * from `global` as Alertmanager does. Problems left after that (no smarthost anywhere) are
   * config errors, reported at load by receiverProblems; an integration that still has one
   * here fails each delivery with it.
   */
  static fromConfig(receivers: readonly ReceiverConfig[], deps: NotifierDeps, global: GlobalConfig = DEFAULT_GLOBAL): Integrations {
    const out: Integration[] = [];
    for (const r of receivers) {
      for (const key of NOTIFIER_KEYS) {
        const spec = specOf(key);
        const list = (r[key] ?? []) as readonly unknown[];
        list.forEach((raw, index) => {
          const { config } = spec.applyGlobal ? spec.applyGlobal(raw, global) : { config: raw };
          out.push({ receiver: r.name, type: spec.type, index, sendResolved: sendResolvedOf(config), notifier: spec.create(config, deps) });
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
      const job = lazyJob(
        {
          receiver: msg.receiver,
          integrationType: integ.type,
          integrationIndex: integ.index,
          groupKey: msg.groupKey,
          fingerprints: alerts.map((a) => a.fingerprint),
          createdAt: now,
        },
        payload,
      );
      planned.set(job, payload);
      jobs.push(job);
    }
    return jobs;
  }
}
