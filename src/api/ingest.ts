import type { FastifyInstance } from 'fastify';
import { handleRemoteWrite, type RemoteWriteResponse } from '../ingest/index.js';
import type { TargetStatus } from '../scrape/index.js';
import type { Appendable } from '../storage/index.js';
import { formatDuration } from '../model/duration.js';

export interface IngestApiDeps {
  /** Where remote-written samples go. */
  readonly metrics: Appendable;
  /** Takes remote-write bodies for `metrics` (RemoteWriteReceiver: decoding in a worker); absent: decoded on this thread. */
  readonly remoteWrite?: { handle(body: Uint8Array, contentEncoding: string | undefined, contentType: string | undefined, owned?: boolean): Promise<RemoteWriteResponse> };
  readonly scrapes: { targets(): TargetStatus[] };
}

const RAW_TYPES = ['application/x-protobuf', 'application/octet-stream'];

/** Remote-write in and the scrape targets page, with Prometheus's shapes. */
export function registerIngestRoutes(app: FastifyInstance, deps: IngestApiDeps): void {
  for (const t of RAW_TYPES) {
    if (!app.hasContentTypeParser(t)) app.addContentTypeParser(t, { parseAs: 'buffer', bodyLimit: 64 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  }

  app.post('/api/v1/write', { config: { role: 'ingest', errorShape: 'text' } }, async (req, reply) => {
    if (!Buffer.isBuffer(req.body)) {
      return reply.status(415).type('text/plain').send('remote write expects Content-Type: application/x-protobuf with a snappy-compressed body');
    }
    const enc = req.headers['content-encoding'];
    const type = req.headers['content-type'];
    const r = deps.remoteWrite ? await deps.remoteWrite.handle(req.body, enc, type, true) : await handleRemoteWrite(deps.metrics, new Uint8Array(req.body), enc, type);
    if (r.status === 204) return reply.status(204).send();
    return reply.status(r.status).type('text/plain').send(r.message);
  });

  app.get('/api/v1/targets', { config: { role: 'viewer', errorShape: 'prometheus' } }, async () => ({
    status: 'success',
    data: {
      activeTargets: deps.scrapes.targets().map((t) => ({
        discoveredLabels: t.discoveredLabels,
        labels: t.labels,
        scrapePool: t.job,
        scrapeUrl: t.url,
        globalUrl: t.url,
        lastError: t.lastError ?? '',
        lastScrape: t.lastScrape ? new Date(t.lastScrape).toISOString() : '0001-01-01T00:00:00Z',
        lastScrapeDuration: t.lastScrapeDuration,
        health: t.health,
        scrapeInterval: formatDuration(t.scrapeInterval),
        scrapeTimeout: formatDuration(t.scrapeTimeout),
      })),
      droppedTargets: [],
    },
  }));
}
