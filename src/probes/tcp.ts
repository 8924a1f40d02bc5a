import net from 'node:net';
import tls from 'node:tls';
import { z } from 'zod';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';
import { abortMessage, describeTlsError, failure, quote, splitHostPort, stopwatch, success } from './probe.js';
import { compileSearch, hostPortSchema, regexSchema } from './options.js';
import { earliestCertExpiry } from './tls-util.js';

/** Bytes of response kept while waiting for `expect`. */
const READ_LIMIT = 64 * 1024;

const tcpOptions = z.strictObject({
  target: hostPortSchema,
  /** Written once connected (YAML escapes such as "\n" are the way to send line endings). */
  send: z.string().optional(),
  /** The response must contain this string, or match `{ regex }`, before the timeout. */
  expect: z.union([z.string().min(1), z.strictObject({ regex: regexSchema })]).optional(),
  tls: z.boolean().default(false),
  tls_skip_verify: z.boolean().default(false),
  server_name: z.string().min(1).optional(),
});

export type TcpOptions = z.output<typeof tcpOptions>;

function expectation(o: TcpOptions): { text: string; miss: string; test(s: string): boolean } | undefined {
  const e = o.expect;
  if (e === undefined) return undefined;
  if (typeof e === 'string') return { text: quote(e), miss: `does not contain ${quote(e)}`, test: (s) => s.includes(e) };
  const re = compileSearch(e.regex);
  return { text: `/${e.regex}/`, miss: `does not match /${e.regex}/`, test: (s) => re.test(s) };
}

function run(o: TcpOptions, ctx: ProbeContext): Promise<ProbeResult> {
  const elapsed = stopwatch();
  const where = o.target;
  if (ctx.signal.aborted) return Promise.resolve(failure(0, abortMessage(ctx.signal, ctx.timeoutMs)));
  const hp = splitHostPort(o.target);
  if (!hp) return Promise.resolve(failure(0, `invalid target ${quote(o.target)}`));
  const want = expectation(o);
  return new Promise<ProbeResult>((resolve) => {
    let done = false;
    let received = '';
    let connected = false;
    const metrics: Record<string, number> = {};
    // SNI must be a host name, never an IP address.
    const servername = o.server_name ?? (net.isIP(hp.host) === 0 ? hp.host : undefined);
    const socket: net.Socket = o.tls
      ? tls.connect({ host: hp.host, port: hp.port, rejectUnauthorized: !o.tls_skip_verify, ...(servername ? { servername } : {}) })
      : net.connect({ host: hp.host, port: hp.port });
    const finish = (r: ProbeResult) => {
      if (done) return;
      done = true;
      ctx.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(r);
    };
    const onAbort = () => {
      const waiting = connected && want ? ` waiting for ${want.text}` : '';
      finish(failure(elapsed(), `${abortMessage(ctx.signal, ctx.timeoutMs)}${waiting}`, metrics));
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const onConnect = () => {
      connected = true;
      if (o.tls) {
        const expiry = earliestCertExpiry(socket as tls.TLSSocket);
        if (expiry !== undefined) metrics.probe_ssl_earliest_cert_expiry = Math.floor(expiry / 1000);
      }
      if (o.send !== undefined) socket.write(o.send);
      if (!want) finish(success(elapsed(), `connected to ${where}`, metrics));
    };
    socket.once(o.tls ? 'secureConnect' : 'connect', onConnect);
    socket.on('data', (chunk: Buffer) => {
      if (!want || received.length >= READ_LIMIT) return;
      received += chunk.toString('utf8');
      if (want.test(received)) finish(success(elapsed(), `response from ${where} matched ${want.text}`, metrics));
    });
    socket.on('error', (err) => {
      if (ctx.signal.aborted) return onAbort();
      finish(failure(elapsed(), describeTlsError(err, where), metrics));
    });
    socket.on('close', () => {
      if (!connected) return finish(failure(elapsed(), `connection closed by ${where} before it was established`, metrics));
      if (want) finish(failure(elapsed(), `response ${want.miss} (got ${quote(received)})`, metrics));
    });
  });
}

export const tcpProbe: Probe<'tcp', typeof tcpOptions> = {
  type: 'tcp',
  optionsSchema: tcpOptions,
  run,
};
