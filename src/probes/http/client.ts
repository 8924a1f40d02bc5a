/**
 * A lean HTTP/1.1 client for the HTTP probe: one new connection per request (plain TCP or
 * TLS without session resumption), the prepared request written in one go, the response
 * read by ResponseParser, the connection closed as soon as the response is complete.
 * Node's http client cost about twice the CPU per probe (ClientRequest, Agent, the parser
 * binding and IncomingMessage streams); this reads plain sockets into one shared buffer.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { PreparedRequest } from './request.js';
import { ResponseParser } from './response-parser.js';
import { earliestCertExpiry } from '../tls-util.js';

export interface ClientResponse {
  readonly status: number;
  /** [lower-case name, value] pairs, in order. */
  readonly headers: readonly (readonly [string, string])[];
  /** The first `keepLimit` bytes of the body or a little more. */
  readonly body: Buffer;
  /** Body bytes received in all. */
  readonly bytes: number;
  /** Earliest notAfter (ms) of the certificate chain, for TLS. */
  readonly certExpiry: number | undefined;
}

/**
 * Plain sockets read into this one buffer (`onread`); ResponseParser copies what it keeps
 * before the callback returns, so every connection can share it.
 */
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * Sends `req` and reads the response. Rejects with the socket's error (code ECONNREFUSED,
 * a TLS verification code, …), a MalformedResponseError, or `signal.reason` once aborted;
 * the connection is closed in every case.
 */
export function send(req: PreparedRequest, keepLimit: number, signal: AbortSignal): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const parser = new ResponseParser(req.bodiless, keepLimit);
    let settled = false;
    let certExpiry: number | undefined;
    let socket: net.Socket;

    const finish = (err: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err !== undefined) {
        reject(err);
        return;
      }
      const body = parser.kept.length === 1 ? (parser.kept[0] as Buffer) : Buffer.concat(parser.kept);
      resolve({ status: parser.status, headers: parser.headers, body, bytes: parser.bodyBytes, certExpiry });
    };
    const onAbort = () => finish(signal.reason);
    const onBytes = (buf: Buffer, n: number) => {
      if (settled) return;
      try {
        if (parser.push(buf, 0, n)) finish(undefined);
      } catch (err) {
        finish(err);
      }
    };
    const onEnd = () => {
      if (settled) return;
      try {
        parser.end();
        finish(undefined);
      } catch (err) {
        finish(err);
      }
    };

    if (req.tls) {
      socket = tls.connect({ host: req.host, port: req.port, servername: req.servername, rejectUnauthorized: req.rejectUnauthorized });
      socket.once('secureConnect', () => {
        certExpiry = earliestCertExpiry(socket as tls.TLSSocket);
      });
      socket.on('data', (chunk: Buffer) => onBytes(chunk, chunk.length));
    } else {
      socket = net.connect({
        host: req.host,
        port: req.port,
        noDelay: true,
        onread: {
          buffer: readBuffer,
          callback: (n) => {
            onBytes(readBuffer, n);
            return true;
          },
        },
      });
    }
    socket.on('end', onEnd);
    socket.on('error', finish);
    socket.on('close', () => finish(new Error('the connection closed before a response')));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.write(req.bytes);
  });
}
