import { z } from 'zod';
import { duration } from '../model/schema.js';
import { formatDuration } from '../model/duration.js';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';
import { abortMessage, describeTlsError, failure, quote, stopwatch, success } from './probe.js';
import { compileSearch, regexSchema } from './options.js';
import { evalJsonPath, jsonEquals, parseJsonPath } from './json-path.js';
import { redactUrl, scrub } from './redact.js';
import { send } from './http/client.js';
import { headerProblem, prepareRequest, type PreparedRequest } from './http/request.js';
import { MalformedResponseError } from './http/response-parser.js';

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
  headers: z
    .record(z.string().min(1), z.string())
    .superRefine((headers, ctx) => {
      for (const [name, value] of Object.entries(headers)) {
        const problem = headerProblem(name, value);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, path: [name] });
      }
    })
    .default({}),
  body: z.string().optional(),
  follow_redirects: z.boolean().default(true),
  tls_skip_verify: z.boolean().default(false),
  expect: expectSchema.default({}),
});

export type HttpOptions = z.output<typeof httpOptions>;

interface Response {
  status: number;
  location: string | undefined;
  headers: readonly (readonly [string, string])[];
  /** The body as text (its first BODY_MATCH_LIMIT bytes), decoded on first use. */
  body: () => string;
  bytes: number;
  certExpiry: number | undefined;
}

/** What a check's options give every run the same: prepared once per options object. */
interface Prepared {
  readonly url: URL;
  readonly secrets: string[];
  /** The first hop's request, or why it cannot be sent (a header the schema let through). */
  readonly first: PreparedRequest | string;
}
const prepared = new WeakMap<HttpOptions, Prepared>();

function prepare(o: HttpOptions): Prepared {
  let p = prepared.get(o);
  if (p === undefined) {
    const url = new URL(o.url);
    let first: PreparedRequest | string;
    try {
      first = prepareRequest({ url, method: o.method, headers: o.headers, body: o.body, verifyTls: !o.tls_skip_verify });
    } catch (err) {
      first = err instanceof Error ? err.message : String(err);
    }
    p = { url, secrets: secretsOf(o.url), first };
    prepared.set(o, p);
  }
  return p;
}

async function request(req: PreparedRequest, signal: AbortSignal): Promise<Response> {
  const r = await send(req, BODY_MATCH_LIMIT, signal);
  let text: string | undefined;
  return {
    status: r.status,
    location: r.status >= 300 && r.status < 400 ? headerValue(r.headers, 'location') : undefined,
    headers: r.headers,
    body: () => (text ??= r.body.subarray(0, BODY_MATCH_LIMIT).toString('utf8')),
    bytes: r.bytes,
    certExpiry: r.certExpiry,
  };
}

function jsonText(v: unknown): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/** Fields a recipient keeps only the first of when repeated (as Node's client did); others are joined with ', '. */
const SINGLE = new Set(['age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host', 'if-modified-since', 'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after', 'server', 'user-agent']);

function headerValue(headers: Response['headers'], name: string): string | undefined {
  const key = name.toLowerCase();
  let out: string | undefined;
  for (const [n, v] of headers) {
    if (n !== key) continue;
    if (out === undefined) out = v;
    else if (SINGLE.has(key)) break;
    else out = `${out}, ${v}`;
  }
  return out;
}

/** The first unmet expectation, or undefined when the response is as expected. */
function mismatch(o: HttpOptions, r: Response, tookMs: number): string | undefined {
  const e = o.expect;
  const okStatus = e.status ? e.status.includes(r.status) : r.status >= 200 && r.status < 300;
  if (!okStatus) return `status ${r.status} (expected ${e.status ? e.status.join(', ') : '2xx'})`;
  if (e.headers) for (const [name, pattern] of Object.entries(e.headers)) {
    const v = headerValue(r.headers, name);
    if (v === undefined) return `header ${name} missing`;
    if (!compileSearch(pattern).test(v)) return `header ${name} is ${quote(v)} (expected /${pattern}/)`;
  }
  if (e.body_contains !== undefined && !r.body().includes(e.body_contains)) return `body does not contain ${quote(e.body_contains)}`;
  if (e.body_not_contains !== undefined && r.body().includes(e.body_not_contains)) return `body contains ${quote(e.body_not_contains)}`;
  if (e.body_regex !== undefined && !compileSearch(e.body_regex).test(r.body())) return `body does not match /${e.body_regex}/`;
  if (e.body_not_regex !== undefined && compileSearch(e.body_not_regex).test(r.body())) return `body matches /${e.body_not_regex}/`;
  if (e.json_path && e.json_path.length > 0) {
    let doc: unknown;
    try {
      doc = JSON.parse(r.body());
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
  const { secrets, url: firstUrl, first } = prepare(o);
  if (ctx.signal.aborted) return failure(0, abortMessage(ctx.signal, ctx.timeoutMs));
  if (typeof first === 'string') return failure(0, scrub(first, secrets));
  let url = firstUrl;
  let req = first;
  let method: string = o.method;
  let body = o.body;
  let redirects = 0;
  let res: Response;
  try {
    for (;;) {
      res = await request(req, ctx.signal);
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
      req = prepareRequest({ url, method, headers: o.headers, body, verifyTls: !o.tls_skip_verify });
    }
  } catch (err) {
    if (ctx.signal.aborted) return failure(elapsed(), abortMessage(ctx.signal, ctx.timeoutMs), { probe_http_redirects: redirects });
    const why = err instanceof MalformedResponseError ? `bad HTTP response from ${url.host}: ${err.message}` : describeTlsError(err, `${url.host}`);
    return failure(elapsed(), scrub(why, secrets), { probe_http_redirects: redirects });
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
      (e.body_regex !== undefined && !compileSearch(e.body_regex).test(res.body())) ||
      (e.body_not_regex !== undefined && compileSearch(e.body_not_regex).test(res.body()));
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
