import type { Clock } from '../model/clock.js';
import type { ScrapeConfig } from './config.js';
import type { ParseResult } from './exposition.js';
import { authorizationHeader } from './http-config.js';
import { parseOpenMetrics } from './parse-openmetrics.js';
import { parseText } from './parse-text.js';

/** The Accept header Prometheus sends: OpenMetrics preferred, the 0.0.4 text format as fallback. */
export const SCRAPE_ACCEPT_HEADER =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export type FetchFn = typeof globalThis.fetch;

/** A scrape that failed; the message is what the target's lastError shows. */
export class ScrapeError extends Error {
  override name = 'ScrapeError';
}

/** The parser for a response Content-Type: OpenMetrics when declared, otherwise the text format. */
export function parserFor(contentType: string | null): (body: string) => ParseResult {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/openmetrics-text' ? parseOpenMetrics : parseText;
}

/**
 * Fetches and parses one target. The timeout is driven by `clock` and enforced with an
 * AbortController, so it also cuts off a body that trickles in. Throws ScrapeError (HTTP
 * status, timeout, network) or ExpositionError (malformed body).
 */
export async function fetchTarget(
  url: string,
  cfg: ScrapeConfig,
  clock: Clock,
  fetchFn: FetchFn,
  userAgent: string,
  outer?: AbortSignal,
): Promise<ParseResult> {
  const ac = new AbortController();
  let timedOut = false;
  const timer = clock.setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, cfg.scrape_timeout);
  const onOuter = () => ac.abort();
  outer?.addEventListener('abort', onOuter);
  try {
    const headers: Record<string, string> = {
      Accept: SCRAPE_ACCEPT_HEADER,
      'User-Agent': userAgent,
      'X-Prometheus-Scrape-Timeout-Seconds': String(cfg.scrape_timeout / 1000),
    };
    const auth = await authorizationHeader(cfg);
    if (auth !== undefined) headers['Authorization'] = auth;
    let body: string;
    let contentType: string | null;
    // Settles on abort even if the fetch implementation does not (a scrape must never hang its loop).
    const aborted = new Promise<never>((_, reject) => {
      if (ac.signal.aborted) reject(new Error('aborted'));
      ac.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
    aborted.catch(() => undefined);
    try {
      const res = await Promise.race([fetchFn(url, { headers, signal: ac.signal, redirect: 'follow' }), aborted]);
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => undefined);
        throw new ScrapeError(`server returned HTTP status ${res.status} ${res.statusText}`.trim());
      }
      contentType = res.headers.get('content-type');
      body = await Promise.race([res.text(), aborted]);
    } catch (e) {
      if (e instanceof ScrapeError) throw e;
      if (timedOut) throw new ScrapeError(`scrape timed out after ${cfg.scrape_timeout / 1000}s`);
      if (ac.signal.aborted) throw new ScrapeError('scrape aborted');
      const cause = (e as { cause?: { message?: string } }).cause?.message;
      throw new ScrapeError(`${(e as Error).message}${cause ? `: ${cause}` : ''}`);
    }
    return parserFor(contentType)(body);
  } finally {
    clock.clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}
