import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import type { TLSSocket } from 'node:tls';
import { z } from 'zod';
import { duration } from '../model/schema.js';
import { formatDuration } from '../model/duration.js';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';
import { abortMessage, describeTlsError, failure, quote, stopwatch, success } from './probe.js';
import { compileSearch, regexSchema } from './options.js';
import { evalJsonPath, jsonEquals, parseJsonPath } from './json-path.js';
import { redactUrl, scrub } from './redact.js';
import { earliestCertExpiry } from './tls-util.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const MAX_REDIRECTS = 10;
/** Only this much of a body is kept for matching; the rest is read and counted. */
const BODY_MATCH_LIMIT = 1 << 20;

const statusSchema = z.int().min(100).max(599);

const expectSchema = z.strictObject({
  /** Accepted final status codes; absent means any 2xx (as blackbox_exporter). */
  status: z
    .union([statusSchema, z.array(statusSchema).min(1)])
    .transform((s) => (Array.isArray(s) ? s : [s]))
    .optional(),
  body_contains: z.string().min(1).optional(),
  body_not_contains: z.string().min(1).optional(),
  body_regex: regexSchema.optional(),
  body_not_regex: regexSchema.optional(),
  json_path: z
    .array(
      z.strictObject({
        path: z.string().refine((p) => parseJsonPath(p) !== undefined, {
          message: "expected a JSON path like $.status or $.items[0]['name']",
        }),
        equals: z.union([z.string(), z.number(), z.boolean(), z.null()]),
      }),
    )
    .optional(),
  max_response_time: duration().optional(),
  /** Response header name → regular expression its value must contain a match of. */
  headers: z.record(z.string().min(1), regexSchema).optional(),
});

const httpOptions = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(METHODS, { error: `expected one of ${METHODS.join(', ')}` }))
    .default('GET'),
  headers: z.record(z.string().min(1), z.string()).default({}),
  body: z.string().optional(),
  follow_redirects: z.boolean().default(true),
  tls_skip_verify: z.boolean().default(false),
  expect: expectSchema.default({}),
});

export type HttpOptions = z.output<typeof httpOptions>;

interface Response {
  status: number;
  location: string | undefined;
  /** Node builds a response's header object on first use: only expectations on headers need it. */
  headers: () => http.IncomingHttpHeaders;
  body: string;
  bytes: number;
  certExpiry: number | undefined;
}

/**
 * Every probe opens a connection of its own and closes it (as blackbox_exporter's do: a probe
 * measures connecting too), and TLS sessions are never resumed; but the agents are shared, so
 * a probe does not build an Agent of its own (`agent: false` did, thousands a second).
 */
const httpAgent = new http.Agent({ keepAlive: false });
const httpsAgent = new https.Agent({ keepAlive: false, maxCachedSessions: 0 });

/** What a check's options give every run the same: parsed once per options object. */
interface Prepared {
  readonly url: URL;
  readonly secrets: string[];
  /** Request headers without and with the body's content-length. */
  readonly headers: Record<string, string>;
  readonly headersWithBody: Record<string, string>;
  /** http.request's options for the check's own URL, method and body (a URL object is converted on every request). */
  readonly first: http.RequestOptions;
}
const prepared = new WeakMap<HttpOptions, Prepared>();

function prepare(o: HttpOptions): Prepared {
  let p = prepared.get(o);
  if (p === undefined) {
    const headers: Record<string, string> = { 'user-agent': 'Vigil-Probe/1', ...o.headers };
    const headersWithBody = o.body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(o.body)) };
    const url = new URL(o.url);
    const https_ = url.protocol === 'https:';
    const first = { ...urlToHttpOptions(url), method: o.method, headers: headersWithBody, agent: https_ ? httpsAgent : httpAgent, rejectUnauthorized: !o.tls_skip_verify };
    p = { url, secrets: secretsOf(o.url), headers, headersWithBody, first };
    prepared.set(o, p);
  }
  return p;
}

function request(url: URL, o: HttpOptions, method: string, body: string | undefined, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const p = prepare(o);
    const https_ = url.protocol === 'https:';
    const mod = https_ ? https : http;
    const options =
      url === p.url && method === o.method && body === o.body
        ? p.first
        : {
            ...urlToHttpOptions(url),
            method,
            headers: body === undefined ? p.headers : { ...p.headers, 'content-length': String(Buffer.byteLength(body)) },
            agent: https_ ? httpsAgent : httpAgent,
            rejectUnauthorized: !o.tls_skip_verify,
          };
    const req = mod.request(options, (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      let bytes = 0;
      const certExpiry = url.protocol === 'https:' ? earliestCertExpiry(res.socket as TLSSocket) : undefined;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (kept < BODY_MATCH_LIMIT) {
          chunks.push(c);
          kept += c.length;
        }
      });
      res.on('end', () => {
        signal.removeEventListener('abort', onAbort);
        resolve({
          status: res.statusCode ?? 0,
          location: res.statusCode !== undefined && res.statusCode >= 300 && res.statusCode < 400 ? res.headers.location : undefined,
          headers: () => res.headers,
          body: Buffer.concat(chunks).subarray(0, BODY_MATCH_LIMIT).toString('utf8'),
          bytes,
          certExpiry,
        });
      });
      res.on('error', fail);
    });
    function fail(err: unknown) {
      signal.removeEventListener('abort', onAbort);
      reject(err);
    }
    function onAbort() {
      req.destroy();
      reject(signal.reason);
    }
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', fail);
    req.end(body);
  });
}

function jsonText(v: unknown): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The first unmet expectation, or undefined when the response is as expected. */
function mismatch(o: HttpOptions, r: Response, tookMs: number): string | undefined {
  const e = o.expect;
  const okStatus = e.status ? e.status.includes(r.status) : r.status >= 200 && r.status < 300;
  if (!okStatus) return `status ${r.status} (expected ${e.status ? e.status.join(', ') : '2xx'})`;
  if (e.headers) for (const [name, pattern] of Object.entries(e.headers)) {
    const v = headerValue(r.headers(), name);
    if (v === undefined) return `header ${name} missing`;
    if (!compileSearch(pattern).test(v)) return `header ${name} is ${quote(v)} (expected /${pattern}/)`;
  }
  if (e.body_contains !== undefined && !r.body.includes(e.body_contains)) return `body does not contain ${quote(e.body_contains)}`;
  if (e.body_not_contains !== undefined && r.body.includes(e.body_not_contains)) return `body contains ${quote(e.body_not_contains)}`;
  if (e.body_regex !== undefined && !compileSearch(e.body_regex).test(r.body)) return `body does not match /${e.body_regex}/`;
  if (e.body_not_regex !== undefined && compileSearch(e.body_not_regex).test(r.body)) return `body matches /${e.body_not_regex}/`;
  if (e.json_path && e.json_path.length > 0) {
    let doc: unknown;
    try {
      doc = JSON.parse(r.body);
    } catch {
      return 'body is not JSON';
    }
    for (const { path, equals } of e.json_path) {
      const got = evalJsonPath(doc, parseJsonPath(path) ?? []);
      if (!got.found) return `json path ${path} not found`;
      if (!jsonEquals(got.value, equals)) return `json path ${path} is ${jsonText(got.value)} (expected ${jsonText(equals)})`;
    }
  }
  if (e.max_response_time !== undefined && tookMs > e.max_response_time) {
    return `response took ${Math.round(tookMs)}ms (max ${formatDuration(e.max_response_time)})`;
  }
  return undefined;
}

function secretsOf(url: string): string[] {
  try {
    const u = new URL(url);
    return u.password ? [u.password, decodeURIComponent(u.password)] : [];
  } catch {
    return [];
  }
}

async function run(o: HttpOptions, ctx: ProbeContext): Promise<ProbeResult> {
  const elapsed = stopwatch();
  const { secrets, url: first } = prepare(o);
  if (ctx.signal.aborted) return failure(0, abortMessage(ctx.signal, ctx.timeoutMs));
  let url = first;
  let method: string = o.method;
  let body = o.body;
  let redirects = 0;
  let res: Response;
  try {
    for (;;) {
      res = await request(url, o, method, body, ctx.signal);
      const redirect = res.status >= 300 && res.status < 400 && res.location !== undefined;
      if (!o.follow_redirects || !redirect) break;
      if (redirects >= MAX_REDIRECTS) return failure(elapsed(), `stopped after ${MAX_REDIRECTS} redirects`);
      url = new URL(res.location as string, url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return failure(elapsed(), `redirect to unsupported URL ${redactUrl(url.toString())}`);
      redirects++;
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
      }
    }
  } catch (err) {
    if (ctx.signal.aborted) return failure(elapsed(), abortMessage(ctx.signal, ctx.timeoutMs), { probe_http_redirects: redirects });
    return failure(elapsed(), scrub(describeTlsError(err, `${url.host}`), secrets), { probe_http_redirects: redirects });
  }
  const took = elapsed();
  const metrics: Record<string, number> = {
    probe_http_status_code: res.status,
    probe_http_content_length: res.bytes,
    probe_http_redirects: redirects,
    probe_http_ssl: url.protocol === 'https:' ? 1 : 0,
  };
  if (res.certExpiry !== undefined) metrics.probe_ssl_earliest_cert_expiry = Math.floor(res.certExpiry / 1000);
  const e = o.expect;
  if (e.body_regex !== undefined || e.body_not_regex !== undefined) {
    const failed =
      (e.body_regex !== undefined && !compileSearch(e.body_regex).test(res.body)) ||
      (e.body_not_regex !== undefined && compileSearch(e.body_not_regex).test(res.body));
    metrics.probe_failed_due_to_regex = failed ? 1 : 0;
  }
  const problem = mismatch(o, res, took);
  if (problem !== undefined) return failure(took, scrub(problem, secrets), metrics);
  return success(took, `status ${res.status} in ${Math.round(took)}ms`, metrics);
}

export const httpProbe: Probe<'http', typeof httpOptions> = {
  type: 'http',
  optionsSchema: httpOptions,
  run,
};
