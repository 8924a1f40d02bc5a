import type { FastifyInstance } from 'fastify';

export interface UnreadBodyLimits {
  /** Bytes of an unread body read and thrown away after the answer before the connection is cut. */
  readonly maxBytes: number;
  /** How long the rest of an unread body may take to arrive after the answer. */
  readonly maxMs: number;
}

export const UNREAD_BODY_LIMITS: UnreadBodyLimits = { maxBytes: 64 * 1024 * 1024, maxMs: 30_000 };

/**
 * Lets a client see an answer given before its body was read (`413` for a body over the
 * limit, decided from Content-Length before the first byte) instead of a connection reset.
 *
 * Fastify answers such a request with `Connection: close`, and Node closes the socket as soon
 * as the answer is written. The client is still sending its body; closing a socket with
 * unread data in its receive buffer makes the kernel send a RST, and the client's TCP stack
 * then drops the answer it had not read yet (the client sees ECONNRESET or EPIPE). Here the
 * rest of the body is read and thrown away instead — as nginx's lingering close does — up to
 * `maxBytes` and `maxMs`, past which the socket is cut (the answer has long been sent by then).
 * The connection stays usable once the body has been read.
 *
 * A client that sent `Connection: close` (or speaks HTTP/1.0) would otherwise have its socket
 * destroyed by Node as soon as the answer is flushed, with the same reset. Such an answer is
 * marked keep-alive so that Node leaves the socket open, and the socket is ended (FIN, no RST)
 * once the rest of the body has been read.
 */
export function registerUnreadBodyDrain(app: FastifyInstance, limits: UnreadBodyLimits = UNREAD_BODY_LIMITS): void {
  app.addHook('onSend', async (req, reply) => {
    const raw = req.raw;
    if (raw.complete || raw.readableEnded) return;
    // Fastify's "close: the client may send more data" is what loses the answer: drain instead.
    if (String(reply.getHeader('connection')).toLowerCase() === 'close') void reply.removeHeader('connection');
    const socket = raw.socket;
    const res = reply.raw;
    const closeAfter = !res.shouldKeepAlive;
    res.shouldKeepAlive = true;
    let bytes = 0;
    const cut = () => {
      clearTimeout(timer);
      raw.removeListener('data', onData);
      socket.destroy();
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) cut();
    };
    const timer = setTimeout(cut, limits.maxMs);
    timer.unref();
    raw.on('data', onData);
    raw.once('end', () => {
      clearTimeout(timer);
      raw.removeListener('data', onData);
      if (closeAfter) {
        // The answer may still be on its way out: end after it, gracefully.
        if (res.writableFinished) socket.end();
        else res.once('finish', () => socket.end());
      }
    });
    socket.once('close', () => clearTimeout(timer));
    raw.resume();
  });
}
