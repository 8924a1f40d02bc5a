import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * Weak ETags on JSON GET responses, and 304 when the client already has the body: the UI
 * polls every few seconds and most polls find nothing changed. The body is still computed;
 * what is saved is the transfer and the browser's work.
 */
export function registerEtags(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    if (!/application\/json/.test(String(reply.getHeader('content-type') ?? ''))) return payload;
    const etag = `W/"${createHash('sha1').update(payload).digest('base64url')}"`;
    void reply.header('etag', etag);
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-cache');
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim() === etag)) {
      void reply.code(304);
      return '';
    }
    return payload;
  });
}
