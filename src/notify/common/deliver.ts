import type { NotifyResult } from '../notifier.js';
import { errorMessage } from '../notifier.js';
import { HttpError, retryableStatus, sendHttp } from './http-client.js';
import type { HttpRequest, HttpResponse } from './http-client.js';
import type { ResolvedHttpConfig } from './http-config.js';
import { DEFAULT_TIMEOUT_MS } from './schema.js';
import { SecretError } from './secrets.js';
import type { Redactor } from './secrets.js';
import { TemplateError } from './templates.js';

/** `https://hooks.slack.com` — what errors may name of a URL (no path: it often holds tokens). */
export function origin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(invalid URL)';
  }
}

export interface HttpDelivery {
  /** Integration type, the prefix of every error (`slack: …`). */
  readonly type: string;
  readonly method?: HttpRequest['method'];
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly contentType?: string;
  readonly http: ResolvedHttpConfig;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly userAgent?: string;
  readonly redactor: Redactor;
  /** More statuses to retry besides 5xx and 429 (PagerDuty v1 retries 403). */
  readonly retryStatuses?: readonly number[];
  /** Turns an error response body into a short detail (default: the body's first 200 characters). */
  readonly detail?: (res: HttpResponse) => string;
  /** Vendor checks of a 2xx response (Slack answers 200 with {"ok":false}). */
  readonly accept?: (res: HttpResponse) => NotifyResult;
}

export async function deliverHttp(d: HttpDelivery): Promise<HttpResponse | NotifyResult> {
  const where = origin(d.url);
  const fail = (retryable: boolean, error: string): NotifyResult => ({ ok: false, retryable, error: d.redactor.clean(`${d.type}: ${error}`) });
  let res: HttpResponse;
  try {
    res = await sendHttp({
      method: d.method ?? 'POST',
      url: d.url,
      headers: {
        'user-agent': d.userAgent ?? 'Vigil',
        ...(d.body !== undefined ? { 'content-type': d.contentType ?? 'application/json' } : {}),
        ...d.http.headers,
        ...d.headers,
      },
      ...(d.body !== undefined ? { body: d.body } : {}),
      signal: d.signal,
      timeoutMs: d.timeoutMs,
      followRedirects: d.http.followRedirects,
      ...(d.http.tls ? { tls: d.http.tls } : {}),
    });
  } catch (err) {
    if (err instanceof HttpError) return fail(true, `${where}: ${err.message}`);
    return fail(true, `${where}: ${errorMessage(err)}`);
  }
  if (res.status >= 200 && res.status < 300) return d.accept ? redactResult(d.accept(res), d) : res;
  const retryable = retryableStatus(res.status) || (d.retryStatuses?.includes(res.status) ?? false);
  const detail = (d.detail ? d.detail(res) : res.body.trim().slice(0, 200)).replace(/\s+/g, ' ');
  return fail(retryable, `${where} answered ${res.status}${detail ? `: ${detail}` : ''}`);
}

function redactResult(r: NotifyResult, d: HttpDelivery): NotifyResult {
  return r.ok ? r : { ...r, error: d.redactor.clean(r.error.startsWith(`${d.type}: `) ? r.error : `${d.type}: ${r.error}`) };
}

export function isResult(x: HttpResponse | NotifyResult): x is NotifyResult {
  return 'ok' in x;
}

/**
 * Runs one delivery and turns anything thrown into a result, so notify() never throws:
 * unreadable secrets and template errors are permanent (the config must change), anything
 * unexpected is retryable. Every error passes through the redactor.
 */
export async function guard(type: string, redactor: Redactor, run: () => Promise<NotifyResult>): Promise<NotifyResult> {
  try {
    const r = await run();
    return r.ok ? r : { ...r, error: redactor.clean(r.error) };
  } catch (err) {
    const permanent = err instanceof SecretError || err instanceof TemplateError;
    return { ok: false, retryable: !permanent, error: redactor.clean(`${type}: ${errorMessage(err)}`) };
  }
}

/** A 2xx answer, or the failure to return as is. */
export async function post(d: HttpDelivery): Promise<NotifyResult> {
  const r = await deliverHttp(d);
  return isResult(r) ? r : { ok: true };
}

/**
 * A vendor's error body as a short detail: `pick` names what matters in its JSON
 * (`{"message":…}`); a body that is not JSON, or has nothing to pick, is quoted as it is.
 */
export function jsonDetail<T>(pick: (body: T) => string | undefined): (res: HttpResponse) => string {
  return (res) => {
    try {
      const picked = pick(JSON.parse(res.body) as T);
      if (picked) return picked;
    } catch {
      // not JSON
    }
    return res.body.trim().slice(0, 200);
  };
}

/** The per-attempt options every HTTP notifier passes: its timeout (default 10s), the abort signal, the User-Agent. */
export function attemptOptions(timeout: number | undefined, ctx: { readonly signal: AbortSignal }, deps: { readonly userAgent?: string }): Pick<HttpDelivery, 'timeoutMs' | 'signal' | 'userAgent'> {
  return { timeoutMs: timeout ?? DEFAULT_TIMEOUT_MS, signal: ctx.signal, ...(deps.userAgent ? { userAgent: deps.userAgent } : {}) };
}
