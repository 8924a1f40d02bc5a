import type { CliIO } from './command.js';

export class ClientError extends Error {
  override name = 'ClientError';
}

export interface ClientOptions {
  readonly url: string;
  readonly token: string | undefined;
}

export function clientOptions(values: { url?: string | undefined; token?: string | undefined }, io: CliIO): ClientOptions {
  const url = (values.url ?? io.env['VIGIL_URL'] ?? 'http://127.0.0.1:9797').replace(/\/+$/, '');
  return { url, token: values.token ?? io.env['VIGIL_TOKEN'] };
}

/** Calls the Vigil API; API errors come back as ClientError with the server's message. */
export async function call(opts: ClientOptions, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<{ text: string; json: unknown }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${opts.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new ClientError(`cannot reach Vigil at ${opts.url} (${cause}); is \`vigil server\` running? Set --url or VIGIL_URL.`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    // The whole message: Vigil's `{error, message}`, Prometheus's `{error}`, or Loki's plain text.
    const body = json as { message?: unknown; error?: unknown } | undefined;
    const msg = typeof body?.message === 'string' ? body.message : typeof body?.error === 'string' ? body.error : text.trim() || '(empty response body)';
    throw new ClientError(`${res.status} ${res.statusText}: ${msg}`);
  }
  return { text, json };
}
