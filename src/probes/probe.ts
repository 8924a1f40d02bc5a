import type { z } from 'zod';
import type { Clock } from '../model/clock.js';

/**
 * The outcome of one probe run. A probe never throws: every failure (refused, timeout,
 * mismatch, bad certificate) is `success: false` with a message a human can act on.
 */
export interface ProbeResult {
  readonly success: boolean;
  readonly durationMs: number;
  /** e.g. 'status 503 (expected 200)', 'timeout after 500ms', 'connection refused 127.0.0.1:18081'. Never holds secrets. */
  readonly message: string;
  /** Extra blackbox_exporter-style samples by metric name, e.g. probe_http_status_code. */
  readonly metrics: Readonly<Record<string, number>>;
}

export interface ProbeContext {
  /** Aborted on timeout (reason: ProbeTimeoutError) or when the run is cancelled. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Wall time (certificate expiry). Durations are measured with a monotonic timer. */
  readonly clock: Clock;
}

/**
 * One kind of synthetic check. `optionsSchema` is a strict object holding only the keys this
 * probe adds to a check (url, target, …); config.ts merges it with the common keys.
 * Contract (asserted by describeProbe): `run` never rejects, and settles promptly once
 * `ctx.signal` aborts, releasing its sockets.
 */
export interface Probe<T extends string = string, S extends z.ZodObject = z.ZodObject> {
  readonly type: T;
  readonly optionsSchema: S;
  run(options: z.output<S>, ctx: ProbeContext): Promise<ProbeResult>;
}

/** The abort reason for a run that exceeded its timeout. */
export class ProbeTimeoutError extends Error {
  override name = 'ProbeTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`timeout after ${timeoutMs}ms`);
  }
}

/** The message for a run ended by its signal: 'timeout after 500ms' or 'aborted'. */
export function abortMessage(signal: AbortSignal, timeoutMs: number): string {
  const reason: unknown = signal.reason;
  if (reason instanceof ProbeTimeoutError) return reason.message;
  if (reason instanceof Error && reason.name === 'TimeoutError') return `timeout after ${timeoutMs}ms`;
  return 'aborted';
}

/** Monotonic stopwatch for probe durations (wall clocks can jump). */
export function stopwatch(): () => number {
  const start = performance.now();
  return () => Math.max(0, performance.now() - start);
}

export function failure(durationMs: number, message: string, metrics: Record<string, number> = {}): ProbeResult {
  return { success: false, durationMs, message, metrics };
}

export function success(durationMs: number, message: string, metrics: Record<string, number> = {}): ProbeResult {
  return { success: true, durationMs, message, metrics };
}

/** Human wording for common socket errors; `where` is host:port (already redacted). */
export function describeNetError(err: unknown, where: string): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ECONNREFUSED':
      return `connection refused ${where}`;
    case 'ECONNRESET':
      return `connection reset by ${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host of ${where}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `host unreachable ${where}`;
    case 'ETIMEDOUT':
      return `connection timed out ${where}`;
    default:
      return `${e?.code ? `${e.code}: ` : ''}${e?.message ?? String(err)} (${where})`;
  }
}

const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** 'certificate not trusted: self-signed certificate' for verification errors, else describeNetError. */
export function describeTlsError(err: unknown, where: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code && CERT_CODES.has(e.code)) return `certificate not trusted (${where}): ${e.message}`;
  return describeNetError(err, where);
}

/** Parses 'host:port' or '[v6]:port'; undefined when malformed. */
export function splitHostPort(target: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s/@]+)):(\d{1,5})$/.exec(target);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (m[1] ?? m[2]) as string, port };
}

/** Quotes a string for a message, cut to `max` characters. */
export function quote(s: string, max = 80): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}
