import { deliverHttp, guard, isResult, jsonDetail, attemptOptions } from '../common/deliver.js';
import { resolveHttpConfig } from '../common/http-config.js';
import { Redactor, readOptionalSecret } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import { Renderer } from '../common/templates.js';
import { truncateRunes } from '../common/truncate.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import { dedupKey } from '../pagerduty/pagerduty.js';
import type { NotifierDeps } from '../spec.js';
import type { OpsgenieConfig } from './config.js';

const MAX_MESSAGE_RUNES = 130;
const MAX_DESCRIPTION_RUNES = 15_000;

const split = (s: string): string[] =>
  s
    .trim()
    .split(',')
    .filter((x) => x !== '');

interface Call {
  readonly method: 'POST' | 'PUT';
  readonly path: string;
  readonly body: unknown;
}

/**
 * Opsgenie's Alert API v2 as Alertmanager drives it: create an alert whose alias is the
 * group's SHA-256 (Opsgenie dedupes on it), close it by alias once resolved, and with
 * update_alerts also update its message and description. Vigil adds acknowledging it by
 * alias when Vigil's incident is acknowledged. `Authorization: GenieKey <api_key>`.
 */
export class OpsgenieNotifier implements Notifier {
  constructor(
    private readonly config: OpsgenieConfig,
    private readonly deps: NotifierDeps,
  ) {}

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('opsgenie', redactor, async () => {
      const c = this.config;
      const rawKey = readOptionalSecret(c, 'api_key', this.deps.secrets);
      if (rawKey === undefined) return { ok: false, retryable: false, error: 'opsgenie: no api_key configured' };
      redactor.add(rawKey);
      // Registered with the redactor before anything can fail.
      const http = resolveHttpConfig(c.http_config, this.deps.secrets, redactor);
      const data = templateData(msg, this.deps.externalURL);
      const r = new Renderer(this.deps.templates, data);
      const apiKey = r.text(rawKey).trim();
      redactor.add(apiKey);
      const calls = this.calls(r, msg, data.Status === 'resolved');
      if (r.error) throw r.error;
      const base = (c.api_url ?? 'https://api.opsgenie.com/').replace(/\/?$/, '/');
      for (const call of calls) {
        const res = await deliverHttp({
          type: 'opsgenie',
          method: call.method,
          url: `${base}${call.path}`,
          body: JSON.stringify(call.body),
          headers: { authorization: `GenieKey ${apiKey}` },
          http,
          redactor,
          ...attemptOptions(c.timeout, ctx, this.deps),
          detail: opsgenieError,
        });
        if (isResult(res)) return res;
      }
      return { ok: true };
    });
  }

  private calls(r: Renderer, msg: NotificationMessage, resolved: boolean): Call[] {
    const c = this.config;
    const alias = dedupKey(msg.groupKey);
    const byAlias = (action: string) => `v2/alerts/${alias}/${action}?identifierType=alias`;
    const source = r.text(c.source, 'source');
    if (resolved) return [{ method: 'POST', path: byAlias('close'), body: { source } }];
    if (msg.acknowledged) return [{ method: 'POST', path: byAlias('acknowledge'), body: { source } }];
    const data = r.data;
    const details: Record<string, string> = { ...data.CommonLabels.toJSON() };
    for (const [k, v] of Object.entries(c.details)) details[k] = r.text(v, `details.${k}`);
    const responders: Array<Record<string, string>> = [];
    c.responders.forEach((resp, i) => {
      const one = { id: r.text(resp.id, `responders[${i}].id`), name: r.text(resp.name, `responders[${i}].name`), username: r.text(resp.username, `responders[${i}].username`), type: r.text(resp.type, `responders[${i}].type`) };
      if (!one.id && !one.name && !one.username && !one.type) return;
      if (one.type === 'teams') {
        for (const team of split(one.name)) responders.push({ name: team, type: 'team' });
        return;
      }
      responders.push({ ...(one.id ? { id: one.id } : {}), ...(one.name ? { name: one.name } : {}), ...(one.username ? { username: one.username } : {}), type: one.type });
    });
    const message = truncateRunes(r.text(c.message, 'message'), MAX_MESSAGE_RUNES);
    if (message.truncated) this.deps.logger?.warn('opsgenie: truncated the message', { max_runes: MAX_MESSAGE_RUNES });
    const description = truncateRunes(r.text(c.description, 'description'), MAX_DESCRIPTION_RUNES).text;
    const tags = split(r.text(c.tags, 'tags'));
    const actions = split(r.text(c.actions, 'actions'));
    const opt = (k: string, v: string) => (v ? { [k]: v } : {});
    const create = {
      alias,
      message: message.text,
      ...opt('description', description),
      details,
      source,
      ...(responders.length ? { responders } : {}),
      ...(tags.length ? { tags } : {}),
      ...opt('note', r.text(c.note, 'note')),
      ...opt('priority', r.text(c.priority, 'priority')),
      ...opt('entity', r.text(c.entity, 'entity')),
      ...(actions.length ? { actions } : {}),
    };
    const calls: Call[] = [{ method: 'POST', path: 'v2/alerts', body: create }];
    if (c.update_alerts) {
      calls.push({ method: 'PUT', path: byAlias('message'), body: { message: message.text } });
      calls.push({ method: 'PUT', path: byAlias('description'), body: { description } });
    }
    return calls;
  }
}

/** Opsgenie's error body: `{"message":"…","took":0.0,"requestId":"…"}`. */
const opsgenieError = jsonDetail<{ message?: string; errors?: Record<string, string> }>((e) => e.message && `${e.message}${e.errors ? ` ${JSON.stringify(e.errors)}` : ''}`);
