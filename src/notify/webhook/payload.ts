import type { Labels } from '../../model/labels.js';
import { quoteMeta, rfc3339 } from '../common/time-format.js';
import type { MessageAlert, NotificationMessage } from '../message.js';

/** Alertmanager's webhook payload, version 4 (notify/webhook Message + template.Data). */
export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

export interface WebhookPayload {
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly alerts: readonly WebhookAlert[];
  readonly groupLabels: Record<string, string>;
  readonly commonLabels: Record<string, string>;
  readonly commonAnnotations: Record<string, string>;
  readonly externalURL: string;
  readonly version: '4';
  readonly groupKey: string;
  readonly truncatedAlerts: number;
}

/** The labels with keys sorted, as Go's encoding/json writes maps (the same object when they already are). */
function sortedKV(l: Labels): Record<string, string> {
  const keys = Object.keys(l);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = (keys[i - 1] as string) < (keys[i] as string);
  if (sorted) return l as Record<string, string>;
  const out: Record<string, string> = {};
  for (const k of Object.keys(l).sort()) out[k] = l[k] as string;
  return out;
}

function common(maps: ReadonlyArray<Labels>): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const k of Object.keys(first).sort()) {
    const v = first[k] as string;
    if (rest.every((m) => m[k] === v)) out[k] = v;
  }
  return out;
}

/**
 * Builds the payload exactly as Alertmanager's webhook notifier does: the alert list is cut to
 * `maxAlerts` first (0 = no limit) and status and common labels/annotations describe the alerts
 * actually sent. Key order follows Alertmanager's JSON.
 */
export function buildWebhookPayload(msg: NotificationMessage, externalURL: string, maxAlerts = 0): WebhookPayload {
  const all = msg.alerts;
  const sent: readonly MessageAlert[] = maxAlerts > 0 && all.length > maxAlerts ? all.slice(0, maxAlerts) : all;
  return {
    receiver: quoteMeta(msg.receiver),
    status: sent.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts: sent.map((a) => ({
      status: a.status,
      labels: sortedKV(a.labels),
      annotations: sortedKV(a.annotations),
      startsAt: rfc3339(a.startsAt),
      endsAt: rfc3339(a.endsAt),
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
    })),
    groupLabels: sortedKV(msg.groupLabels),
    commonLabels: common(sent.map((a) => a.labels)),
    commonAnnotations: common(sent.map((a) => a.annotations)),
    externalURL,
    version: '4',
    groupKey: msg.groupKey,
    truncatedAlerts: all.length - sent.length,
  };
}
