import net from 'node:net';
import tls from 'node:tls';
import { z } from 'zod';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';
import { abortMessage, describeTlsError, failure, quote, splitHostPort, stopwatch, success } from './probe.js';
import { hostPortSchema } from './options.js';
import { earliestCertExpiry } from './tls-util.js';

const DAY_MS = 86_400_000;

const tlsOptions = z.strictObject({
  target: hostPortSchema,
  /** SNI and the name verified; defaults to the target's host when it is not an IP address. */
  server_name: z.string().min(1).optional(),
  /** Fails when the earliest expiry in the presented chain is fewer than this many days away. */
  min_days_valid: z.number().min(0).default(14),
  tls_skip_verify: z.boolean().default(false),
});

export type TlsOptions = z.output<typeof tlsOptions>;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function verdict(o: TlsOptions, expiry: number, now: number, took: number): ProbeResult {
  const metrics = { probe_ssl_earliest_cert_expiry: Math.floor(expiry / 1000) };
  const days = (expiry - now) / DAY_MS;
  if (days < 0) return failure(took, `certificate expired ${(-days).toFixed(1)} days ago (on ${day(expiry)})`, metrics);
  const text = `certificate expires in ${days.toFixed(1)} days (on ${day(expiry)})`;
  if (days < o.min_days_valid) return failure(took, `${text}, less than the minimum ${o.min_days_valid} days`, metrics);
  return success(took, text, metrics);
}

function run(o: TlsOptions, ctx: ProbeContext): Promise<ProbeResult> {
  const elapsed = stopwatch();
  if (ctx.signal.aborted) return Promise.resolve(failure(0, abortMessage(ctx.signal, ctx.timeoutMs)));
  const hp = splitHostPort(o.target);
  if (!hp) return Promise.resolve(failure(0, `invalid target ${quote(o.target)}`));
  return new Promise<ProbeResult>((resolve) => {
    let done = false;
    const servername = o.server_name ?? (net.isIP(hp.host) === 0 ? hp.host : undefined);
    const socket = tls.connect({
      host: hp.host,
      port: hp.port,
      rejectUnauthorized: !o.tls_skip_verify,
      ...(servername ? { servername } : {}),
    });
    const finish = (r: ProbeResult) => {
      if (done) return;
      done = true;
      ctx.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(r);
    };
    const onAbort = () => finish(failure(elapsed(), abortMessage(ctx.signal, ctx.timeoutMs)));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const expiry = earliestCertExpiry(socket);
      if (expiry === undefined) return finish(failure(elapsed(), `no certificate presented by ${o.target}`));
      finish(verdict(o, expiry, ctx.clock.now(), elapsed()));
    });
    socket.on('error', (err) => {
      if (ctx.signal.aborted) return onAbort();
      finish(failure(elapsed(), describeTlsError(err, o.target)));
    });
    socket.on('close', () => finish(failure(elapsed(), `connection closed by ${o.target} during the TLS handshake`)));
  });
}

export const tlsProbe: Probe<'tls', typeof tlsOptions> = {
  type: 'tls',
  optionsSchema: tlsOptions,
  run,
};
