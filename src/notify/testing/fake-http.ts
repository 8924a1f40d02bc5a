import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake vendor received. */
export interface PeerRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type Answer = { readonly status: number; readonly body?: string; readonly contentType?: string; readonly headers?: Record<string, string> } | 'hang';

/** A local HTTP server on 127.0.0.1 standing in for a vendor's API in tests. */
export interface FakeHttp {
  readonly url: string;
  readonly port: number;
  readonly requests: PeerRequest[];
  close(): Promise<void>;
}

/**
 * Starts a fake vendor. `handler` answers each request (a status and body, or 'hang' to never
 * answer); it may throw an AssertionError, which is kept and rethrown by `close()` so a test
 * that validated the request inside the handler fails even though the client saw a 500.
 */
export async function fakeHttp(handler: (req: PeerRequest) => Answer | Promise<Answer>): Promise<FakeHttp> {
  const requests: PeerRequest[] = [];
  let failure: unknown;
  const hung: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: PeerRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      Promise.resolve()
        .then(() => handler(r))
        .then(
          (a) => {
            if (a === 'hang') {
              hung.push(res);
              return;
            }
            res.writeHead(a.status, { 'content-type': a.contentType ?? 'text/plain; charset=utf-8', ...a.headers });
            res.end(a.body ?? '');
          },
          (err: unknown) => {
            failure ??= err;
            res.writeHead(500, { 'content-type': 'text/plain' }).end('fake vendor: request failed validation');
          },
        );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      if (failure) throw failure;
    },
  };
}

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export const json = (body: unknown, status = 200): Answer => ({ status, body: JSON.stringify(body), contentType: 'application/json; charset=utf-8' });
