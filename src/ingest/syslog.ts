import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { labelsSchema } from '../model/schema.js';
import type { Labels } from '../model/labels.js';
import { createLineParser, syslogHeader, type LogInput } from '../logs/index.js';
import { OverloadedError } from './log-ingest.js';

const listenSchema = z.string().regex(/^(?:\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'expected HOST:PORT like 127.0.0.1:5514');

/** `logs.syslog` in vigil.yml: RFC 5424 / 3164 over UDP and TCP (RFC 6587 framing). */
export const syslogConfigSchema = z.strictObject({
  udp_listen: listenSchema.optional(),
  tcp_listen: listenSchema.optional(),
  /** Added to every message's stream labels (service comes from the APP-NAME / TAG). */
  labels: labelsSchema.default({}),
  /** Longer messages are cut (RFC 5424 requires at least 2048; 64 KiB by default). */
  max_message_bytes: z.number().int().min(480).max(1024 * 1024).default(65_536),
});
export type SyslogConfig = z.output<typeof syslogConfigSchema>;

export interface SyslogServerOptions {
  readonly config: SyslogConfig;
  /** Resolves once the lines are durable; may throw OverloadedError. */
  readonly ingest: (inputs: LogInput[]) => Promise<unknown>;
  readonly now: () => number;
  readonly onError?: (err: unknown, where: string) => void;
}

export interface SyslogStats {
  received: number;
  /** UDP messages dropped because the store was overloaded (UDP has no way to push back). */
  droppedOverloaded: number;
  malformedFrames: number;
}

/** Label sets remembered for reuse (see SyslogServer.streams); past it the memory starts over. */
const MAX_STREAMS = 10_000;

function split(hostPort: string): { host: string; port: number } {
  const i = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(hostPort.slice(i + 1)) };
}

/**
 * Splits a TCP byte stream into syslog messages: octet counting (`123 <34>1 …`, RFC 6587
 * 3.4.1) when a frame starts with a digit, else non-transparent framing (one message per
 * LF-terminated line). Keeps the unfinished tail for the next chunk.
 */
export class SyslogFramer {
  private buf = '';

  constructor(private readonly maxBytes: number) {}

  push(chunk: string): { messages: string[]; malformed: number } {
    this.buf += chunk;
    const messages: string[] = [];
    let malformed = 0;
    for (;;) {
      if (this.buf.length === 0) break;
      const c = this.buf.charCodeAt(0);
      if (c >= 48 && c <= 57) {
        const sp = this.buf.indexOf(' ');
        if (sp < 0) {
          if (this.buf.length > 10) {
            malformed++;
            this.buf = '';
          }
          break;
        }
        const len = Number(this.buf.slice(0, sp));
        if (!Number.isInteger(len) || len <= 0 || len > this.maxBytes * 4) {
          malformed++;
          const nl = this.buf.indexOf('\n');
          this.buf = nl < 0 ? '' : this.buf.slice(nl + 1);
          continue;
        }
        if (this.buf.length < sp + 1 + len) break;
        messages.push(this.buf.slice(sp + 1, sp + 1 + len));
        this.buf = this.buf.slice(sp + 1 + len);
      } else {
        const nl = this.buf.indexOf('\n');
        if (nl < 0) {
          if (this.buf.length > this.maxBytes) {
            messages.push(this.buf.slice(0, this.maxBytes));
            this.buf = '';
          }
          break;
        }
        const line = this.buf.slice(0, nl).replace(/\r$/, '');
        this.buf = this.buf.slice(nl + 1);
        if (line.trim()) messages.push(line);
      }
    }
    return { messages: messages.map((m) => m.replace(/\n+$/, '').slice(0, this.maxBytes)), malformed };
  }
}

/** Receives syslog over UDP and/or TCP and hands each message to the log ingest path. */
export class SyslogServer {
  readonly stats: SyslogStats = { received: 0, droppedOverloaded: 0, malformedFrames: 0 };
  private udp: UdpSocket | undefined;
  private tcp: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly parse = createLineParser({ format: 'syslog' });
  udpAddress: AddressInfo | undefined;
  tcpAddress: AddressInfo | undefined;

  constructor(private readonly opts: SyslogServerOptions) {}

  /**
   * One labels object per (service, host): the log store and the worker protocol key streams
   * by object identity, so a fresh object per message made every message look up its stream
   * and travel to the line worker as a label set of its own.
   */
  private readonly streams = new Map<string, Map<string, Labels>>();
  private streamCount = 0;

  private toInput(message: string): LogInput {
    // Most messages: the header alone (the line worker parses the whole line later).
    const h = syslogHeader(message, Date.now());
    let service: string;
    let host: string;
    let t: number | undefined;
    if (h) {
      service = h.appName;
      host = h.hostname;
      t = h.timestamp;
    } else {
      const p = this.parse(message);
      service = p.fields['app_name'] ?? p.service ?? 'syslog';
      host = p.fields['hostname'] ?? ''; // '' and absent: no host label
      t = p.timestamp;
    }
    let byHost = this.streams.get(service);
    let labels = byHost?.get(host);
    if (!labels) {
      const l: Record<string, string> = { ...this.opts.config.labels, service };
      if (host) l['host'] = host;
      if (this.streamCount >= MAX_STREAMS) {
        this.streams.clear();
        this.streamCount = 0;
        byHost = undefined;
      }
      if (!byHost) this.streams.set(service, (byHost = new Map()));
      byHost.set(host, (labels = l as Labels));
      this.streamCount++;
    }
    return { labels, t: t ?? this.opts.now(), line: message };
  }

  async start(): Promise<void> {
    const c = this.opts.config;
    if (c.udp_listen) {
      const { host, port } = split(c.udp_listen);
      const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      sock.on('message', (msg) => {
        const text = msg.toString('utf8', 0, Math.min(msg.length, c.max_message_bytes)).replace(/\n+$/, '');
        if (!text) return;
        this.stats.received++;
        this.opts.ingest([this.toInput(text)]).catch((err: unknown) => {
          if (err instanceof OverloadedError) this.stats.droppedOverloaded++;
          else this.opts.onError?.(err, 'syslog udp');
        });
      });
      sock.on('error', (err) => this.opts.onError?.(err, 'syslog udp'));
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind(port, host, () => {
          sock.off('error', reject);
          resolve();
        });
      });
      this.udp = sock;
      this.udpAddress = sock.address();
    }
    if (c.tcp_listen) {
      const { host, port } = split(c.tcp_listen);
      const server = createServer((s) => this.serveTcp(s));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      this.tcp = server;
      this.tcpAddress = server.address() as AddressInfo;
    }
  }

  /** TCP pushes back: the socket is paused while its messages are being stored. */
  private serveTcp(s: Socket): void {
    this.sockets.add(s);
    s.setEncoding('utf8');
    const framer = new SyslogFramer(this.opts.config.max_message_bytes);
    let chain: Promise<void> = Promise.resolve();
    s.on('data', (chunk: string) => {
      const { messages, malformed } = framer.push(chunk);
      this.stats.malformedFrames += malformed;
      if (messages.length === 0) return;
      this.stats.received += messages.length;
      const inputs = messages.map((m) => this.toInput(m));
      s.pause();
      chain = chain
        .then(() => this.deliver(inputs))
        .catch((err: unknown) => this.opts.onError?.(err, 'syslog tcp'))
        .finally(() => s.resume());
    });
    s.on('error', () => undefined);
    s.on('close', () => this.sockets.delete(s));
  }

  private async deliver(inputs: LogInput[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.opts.ingest(inputs);
        return;
      } catch (err) {
        if (!(err instanceof OverloadedError) || attempt >= 30) throw err;
        await new Promise((r) => setTimeout(r, err.retryAfterSeconds * 1000));
      }
    }
  }

  async stop(): Promise<void> {
    if (this.udp) await new Promise<void>((r) => this.udp?.close(() => r()));
    for (const s of this.sockets) s.destroy();
    if (this.tcp) await new Promise<void>((r) => this.tcp?.close(() => r()));
  }
}
