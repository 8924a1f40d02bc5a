import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { SecureContextOptions } from 'node:tls';

/** TLS options for one client (resolved from tls_config: file contents already read). */
export interface TlsOptions extends Pick<SecureContextOptions, 'ca' | 'cert' | 'key' | 'minVersion' | 'maxVersion'> {
  readonly servername?: string;
  readonly rejectUnauthorized?: boolean;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string | Buffer;
  /** Aborts the request; the promise rejects with an HttpError of kind `aborted`. */
  readonly signal: AbortSignal;
  /** Per-request deadline (0 = none); rejects with kind `timeout`. */
  readonly timeoutMs: number;
  readonly tls?: TlsOptions;
  /** Follow 301/302/303/307/308 as Go's http.Client does (default true, at most 10). */
  readonly followRedirects?: boolean;
  /** Response bodies are read up to this many bytes; the rest is discarded. Default 64 KiB. */
  readonly maxResponseBytes?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type HttpErrorKind = 'timeout' | 'aborted' | 'network';

/** A request that got no HTTP response. Its message never names the URL. */
export class HttpError extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const MAX_REDIRECTS = 10;

/**
 * One HTTP request over node:http(s), so TLS settings (CA, client certificates, server name)
 * apply per notifier. Bodies are sent with Content-Length. Error messages carry the socket
 * error only (`connect ECONNREFUSED 127.0.0.1:9`), never the URL, its path or query.
 */
export async function sendHttp(req: HttpRequest): Promise<HttpResponse> {
  const signal = req.timeoutMs > 0 ? AbortSignal.any([req.signal, AbortSignal.timeout(req.timeoutMs)]) : req.signal;
  let url = new URL(req.url);
  let method: string = req.method;
  let body = req.body;
  for (let hop = 0; ; hop++) {
    const res = await once({ ...req, url: url.toString(), method, body, signal });
    const location = res.headers.location;
    const redirect = [301, 302, 303, 307, 308].includes(res.status) && location !== undefined && req.followRedirects !== false;
    if (!redirect) return res;
    if (hop >= MAX_REDIRECTS) throw new HttpError('network', `stopped after ${MAX_REDIRECTS} redirects`);
    url = new URL(location, url);
    if (res.status !== 307 && res.status !== 308) {
      // Go's client turns these into a GET without a body (only HEAD stays HEAD).
      method = 'GET';
      body = undefined;
    }
  }
}

function once(req: Omit<HttpRequest, 'method'> & { method: string }): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const signal = req.signal;
    const fail = (): HttpError => {
      const reason: unknown = signal.reason;
      const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
      return timedOut ? new HttpError('timeout', `timed out after ${req.timeoutMs}ms`) : new HttpError('aborted', 'aborted');
    };
    if (signal.aborted) {
      reject(fail());
      return;
    }
    const url = new URL(req.url);
    const headers: OutgoingHttpHeaders = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    // Credentials in the URL's userinfo go out as Basic auth, as Go's client sends them.
    if ((url.username || url.password) && headers.authorization === undefined) {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    }
    const options = {
      method: req.method,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      headers,
      ...(url.protocol === 'https:' && req.tls ? req.tls : {}),
    };
    const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const r = make(options, (res) => {
      const limit = req.maxResponseBytes ?? 64 * 1024;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < limit) chunks.push(c.subarray(0, limit - size));
        size += c.length;
      });
      res.on('end', () => {
        signal.removeEventListener('abort', onAbort);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err) => done(err));
    });
    const done = (err: Error): void => {
      signal.removeEventListener('abort', onAbort);
      reject(signal.aborted ? fail() : new HttpError('network', networkMessage(err)));
    };
    const onAbort = (): void => {
      r.destroy();
      reject(fail());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    r.on('error', done);
    r.end(req.body);
  });
}

/** The socket error without anything that could carry a URL. */
function networkMessage(err: Error): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code && e.syscall) return `${e.syscall} ${e.code}${'address' in e ? ` ${String((e as { address?: string }).address)}${'port' in e ? `:${String((e as { port?: number }).port)}` : ''}` : ''}`;
  return e.code ? `${e.code}: ${e.message}` : e.message;
}

/** Whether trying again later may help: 5xx and 429 yes, anything else no. */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}
