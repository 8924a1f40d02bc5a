import type { FastifyInstance, FastifyReply } from 'fastify';
import { decodeLokiPush, decodeNdjson, decodeOtlpLogs, encodeOtlpExportResponse, OverloadedError, mediaType, type LogIngestor } from '../ingest/index.js';
import type { LogInput } from '../logs/index.js';
import { HttpError } from './errors.js';
import { parse } from './validate.js';
import { patternsQuerySchema as patternsQuery, type PatternsResponse } from './schemas/index.js';

export interface LogIngestApiDeps {
  readonly ingestor: Pick<LogIngestor, 'ingest'>;
  readonly patterns: (service?: string) => Promise<ReadonlyArray<{ service: string; id: string; template: string; count: number; firstSeen: number; lastSeen: number; samples: readonly string[] }>>;
}

async function accept(deps: LogIngestApiDeps, inputs: LogInput[]): Promise<void> {
  try {
    await deps.ingestor.ingest(inputs);
  } catch (e) {
    if (e instanceof OverloadedError) throw new HttpError('overloaded', e.message, { 'retry-after': String(e.retryAfterSeconds) });
    throw e;
  }
}


/**
 * Log ingestion as shippers send it: Loki push (JSON or snappy protobuf), OTLP/HTTP logs
 * (JSON or protobuf), and NDJSON. Bodies are read raw and decoded by ingest/, which names
 * where a bad body is wrong; an overloaded store answers 429 with Retry-After.
 */
export function registerLogIngestRoutes(app: FastifyInstance, deps: LogIngestApiDeps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 32 * 1024 * 1024 }, (_req, body, done) => done(null, body));
    const ingest = { config: { role: 'ingest' as const } };
    const lokiPush = { config: { role: 'ingest' as const, errorShape: 'text' as const } };
    const otlp = { config: { role: 'ingest' as const, errorShape: 'otlp' as const } };
    const raw = (body: unknown): Uint8Array => {
      if (!Buffer.isBuffer(body)) throw new HttpError('bad_request', 'empty request body');
      return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    };

    scope.post('/loki/api/v1/push', lokiPush, async (req, reply: FastifyReply) => {
      const inputs = decodeLokiPush(raw(req.body), req.headers['content-type'], req.headers['content-encoding']);
      await accept(deps, inputs);
      return reply.status(204).send();
    });

    scope.post('/v1/logs', otlp, async (req, reply) => {
      const inputs = decodeOtlpLogs(raw(req.body), req.headers['content-type'], req.headers['content-encoding']);
      await accept(deps, inputs);
      const res = encodeOtlpExportResponse(mediaType(req.headers['content-type']) === 'application/x-protobuf' ? 'protobuf' : 'json');
      return reply.status(200).type(res.contentType).send(Buffer.from(res.body));
    });

    scope.post('/api/v1/logs', ingest, async (req, reply) => {
      const inputs = decodeNdjson(raw(req.body), req.headers['content-encoding']);
      await accept(deps, inputs);
      return reply.status(200).send({ accepted: inputs.length });
    });
  });

  app.get('/api/v1/logs/patterns', { config: { role: 'viewer' } }, async (req): Promise<PatternsResponse> => {
    const q = parse(patternsQuery, req.query, 'query');
    const list = (await deps.patterns(q.service)).slice(0, q.limit);
    return {
      patterns: list.map((p) => ({
        service: p.service,
        id: p.id,
        template: p.template,
        count: p.count,
        first_seen: new Date(p.firstSeen).toISOString(),
        last_seen: new Date(p.lastSeen).toISOString(),
        samples: p.samples,
      })),
    };
  });
}
