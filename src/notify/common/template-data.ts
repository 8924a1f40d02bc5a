import type { Labels } from '../../model/labels.js';
import type { MessageLink, NotificationMessage } from '../message.js';
import { quoteMeta, rfc3339 } from './time-format.js';
import { pushAll } from '../../model/arrays.js';

/**
 * The data notification templates see: Alertmanager's template.Data, with the same field and
 * method names (`.Alerts.Firing`, `.CommonLabels.SortedPairs.Values`, `.GroupLabels.Names`,
 * `.CommonLabels.Remove .GroupLabels.Names`), plus Vigil's links (`.Links`, `.IncidentURL`,
 * `.AckURL`, `.ResolveURL`). Methods are methods on the prototype, fields own properties, so a
 * Go template engine finds both the way Go's reflection would.
 */
export class Pair {
  constructor(
    readonly Name: string,
    readonly Value: string,
  ) {}
}

export class Strings extends Array<string> {
  static list(items: readonly string[]): Strings {
    const s = new Strings();
    pushAll(s, items);
    return s;
  }
  Join(sep: string): string {
    return this.join(sep);
  }
}

export class Pairs extends Array<Pair> {
  static list(items: readonly Pair[]): Pairs {
    const p = new Pairs();
    pushAll(p, items);
    return p;
  }
  Names(): Strings {
    return Strings.list(this.map((p) => p.Name));
  }
  Values(): Strings {
    return Strings.list(this.map((p) => p.Value));
  }
  String(): string {
    return this.map((p) => `${p.Name}=${p.Value}`).join(', ');
  }
}

/** A label or annotation set: its own enumerable properties are the pairs. */
export class KV {
  [name: string]: unknown;

  static from(l: Labels): KV {
    const kv = new KV();
    for (const k of Object.keys(l)) kv[k] = l[k];
    return kv;
  }

  /** Sorted by name, with `alertname` first (as Alertmanager sorts them). */
  SortedPairs(): Pairs {
    const keys = Object.keys(this).sort();
    const i = keys.indexOf('alertname');
    if (i > 0) {
      keys.splice(i, 1);
      keys.unshift('alertname');
    }
    return Pairs.list(keys.map((k) => new Pair(k, this[k] as string)));
  }
  Names(): Strings {
    return this.SortedPairs().Names();
  }
  Values(): Strings {
    return this.SortedPairs().Values();
  }
  Remove(keys: readonly string[]): KV {
    const drop = new Set(keys);
    const kv = new KV();
    for (const k of Object.keys(this)) if (!drop.has(k)) kv[k] = this[k];
    return kv;
  }
  String(): string {
    return this.SortedPairs().String();
  }
  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of Object.keys(this).sort()) out[k] = this[k] as string;
    return out;
  }
}

/** A point in time; zero (0 ms) is Go's zero time. Rendered as RFC 3339 in JSON. */
export class Time {
  constructor(readonly ms: number) {}
  IsZero(): boolean {
    return this.ms === 0;
  }
  Unix(): number {
    return Math.floor(this.ms / 1000);
  }
  UnixMilli(): number {
    return this.ms;
  }
  toJSON(): string {
    return rfc3339(this.ms);
  }
}

export class Alert {
  constructor(
    readonly Status: 'firing' | 'resolved',
    readonly Labels: KV,
    readonly Annotations: KV,
    readonly StartsAt: Time,
    readonly EndsAt: Time,
    readonly GeneratorURL: string,
    readonly Fingerprint: string,
  ) {}
  toJSON(): object {
    return {
      status: this.Status,
      labels: this.Labels,
      annotations: this.Annotations,
      startsAt: this.StartsAt,
      endsAt: this.EndsAt,
      generatorURL: this.GeneratorURL,
      fingerprint: this.Fingerprint,
    };
  }
}

export class Alerts extends Array<Alert> {
  static list(items: readonly Alert[]): Alerts {
    const a = new Alerts();
    pushAll(a, items);
    return a;
  }
  Firing(): Alerts {
    return Alerts.list(this.filter((a) => a.Status === 'firing'));
  }
  Resolved(): Alerts {
    return Alerts.list(this.filter((a) => a.Status === 'resolved'));
  }
}

export class Link {
  constructor(
    readonly Rel: string,
    readonly Text: string,
    readonly URL: string,
  ) {}
}

export interface TemplateData {
  readonly Receiver: string;
  readonly Status: 'firing' | 'resolved';
  readonly Alerts: Alerts;
  readonly GroupLabels: KV;
  readonly CommonLabels: KV;
  readonly CommonAnnotations: KV;
  readonly ExternalURL: string;
  readonly GroupKey: string;
  /** Vigil: every link of the message (incident, ack, resolve, …), in order. */
  readonly Links: readonly Link[];
  readonly IncidentURL: string;
  readonly AckURL: string;
  readonly ResolveURL: string;
  /** Vigil: the alert group was acknowledged (PagerDuty and Opsgenie send an acknowledge). */
  readonly Acknowledged: boolean;
}

function common(maps: readonly Labels[]): KV {
  const kv = new KV();
  const [first, ...rest] = maps;
  if (!first) return kv;
  for (const k of Object.keys(first)) if (rest.every((m) => m[k] === first[k])) kv[k] = first[k];
  return kv;
}

export function linkURL(links: readonly MessageLink[] | undefined, rel: string): string {
  return links?.find((l) => l.rel === rel)?.url ?? '';
}

/** Alertmanager's template data for one notification (Receiver escaped with QuoteMeta, as there). */
export function templateData(msg: NotificationMessage, externalURL: string): TemplateData {
  const alerts = Alerts.list(
    msg.alerts.map(
      (a) => new Alert(a.status, KV.from(a.labels), KV.from(a.annotations), new Time(a.startsAt), new Time(a.endsAt), a.generatorURL, a.fingerprint),
    ),
  );
  const links = msg.links ?? [];
  return {
    Receiver: quoteMeta(msg.receiver),
    Status: msg.alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    Alerts: alerts,
    GroupLabels: KV.from(msg.groupLabels),
    CommonLabels: common(msg.alerts.map((a) => a.labels)),
    CommonAnnotations: common(msg.alerts.map((a) => a.annotations)),
    ExternalURL: externalURL,
    GroupKey: msg.groupKey,
    Links: links.map((l) => new Link(l.rel, l.text, l.url)),
    IncidentURL: linkURL(links, 'incident'),
    AckURL: linkURL(links, 'ack'),
    ResolveURL: linkURL(links, 'resolve'),
    Acknowledged: msg.acknowledged === true,
  };
}
