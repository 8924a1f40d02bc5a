import type { SessionView } from './types';

/** An API call that failed: HTTP status (0 when the server could not be reached), code, message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
  get unreachable(): boolean {
    return this.status === 0;
  }
}

type Listener = (ok: boolean, err?: ApiFailure) => void;
const listeners = new Set<Listener>();
let csrfToken: string | null = null;

/** Every call reports whether the server answered: the connection banner listens. */
export function onConnection(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
const report: Listener = (ok, err) => {
  for (const l of listeners) l(ok, err);
};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function failureOf(res: Response): Promise<ApiFailure> {
  const text = await res.text().catch(() => '');
  let code = `http_${res.status}`;
  let message = text.trim() || `${res.status} ${res.statusText}`;
  try {
    const j = JSON.parse(text) as { error?: unknown; message?: unknown; errorType?: unknown };
    // Vigil's {error, message}; Prometheus's {errorType, error}.
    if (typeof j.message === 'string') message = j.message;
    else if (typeof j.error === 'string') message = j.error;
    if (typeof j.errorType === 'string') code = j.errorType;
    else if (typeof j.error === 'string' && typeof j.message === 'string') code = j.error;
  } catch {
    /* plain text (Loki) */
  }
  return new ApiFailure(res.status, code, message);
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Form-encoded body (the Prometheus and Loki APIs take queries that way). */
  readonly form?: Record<string, string>;
}

/**
 * Calls Vigil's API on this origin: the session cookie goes along by itself; state-changing
 * calls carry the CSRF token. Rejects with ApiFailure, whatever the API's error shape.
 */
export async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let payload: string | undefined;
  if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(opts.form).toString();
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    const failure = new ApiFailure(0, 'unreachable', 'Vigil cannot be reached');
    report(false, failure);
    throw failure;
  }
  if (!res.ok) {
    const failure = await failureOf(res);
    // A server that answers, even with an error, is connected (a 502/503 from a proxy is not).
    report(res.status !== 502 && res.status !== 503 && res.status !== 504, failure);
    if (res.status === 401) window.dispatchEvent(new CustomEvent('vigil:signed-out'));
    throw failure;
  }
  report(true);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
  session: () => request<SessionView>('GET', '/api/v1/session'),
};

export function errorText(e: unknown): string {
  if (e instanceof ApiFailure) return e.message;
  return e instanceof Error ? e.message : String(e);
}
