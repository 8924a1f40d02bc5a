import { appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type AddressInfo } from 'node:net';
import type { Clock } from '../model/clock.js';

export interface OutagePlan {
  /** Healthy time before the first outage, ms. */
  readonly firstBreakAfter: number;
  /** How long each outage lasts, ms. */
  readonly outage: number;
  /** Healthy time between outages, ms. */
  readonly healthy: number;
}

export const DEFAULT_PLAN: OutagePlan = { firstBreakAfter: 20_000, outage: 40_000, healthy: 80_000 };

/** Whether the service is broken `elapsed` ms after it started, under `plan`. */
export function isBroken(plan: OutagePlan, elapsed: number): boolean {
  if (elapsed < plan.firstBreakAfter) return false;
  const cycle = plan.outage + plan.healthy;
  return (elapsed - plan.firstBreakAfter) % cycle < plan.outage;
}

/** When the next state change happens after `elapsed`, and whether it is a break. */
export function nextChange(plan: OutagePlan, elapsed: number): { at: number; breaks: boolean } {
  if (elapsed < plan.firstBreakAfter) return { at: plan.firstBreakAfter, breaks: true };
  const cycle = plan.outage + plan.healthy;
  const into = (elapsed - plan.firstBreakAfter) % cycle;
  const base = elapsed - into;
  return into < plan.outage ? { at: base + plan.outage, breaks: false } : { at: base + cycle, breaks: true };
}

export interface DemoService {
  readonly httpUrl: string;
  readonly tcpTarget: string;
  readonly startedAt: number;
  close(): Promise<void>;
}

/**
 * "shop-api": a loopback HTTP service whose /health answers 200 "ok" and, during scheduled
 * outages, 503 "database connection failed". "shop-db" is a TCP port that is always open.
 */
export async function startShopApi(clock: Clock, plan: OutagePlan = DEFAULT_PLAN, port = 0, logFile?: string): Promise<DemoService> {
  const startedAt = clock.now();
  let seq = 0;
  // shop-api's own log (logfmt), which the demo's file source follows.
  const log = (level: string, msg: string, extra: string) => {
    if (!logFile) return;
    const ts = new Date(clock.now()).toISOString();
    appendFileSync(logFile, `ts=${ts} level=${level} msg="${msg}" request_id=req-${(++seq).toString(36)} ${extra}\n`);
  };
  const http: Server = createServer((req, res) => {
    const broken = isBroken(plan, clock.now() - startedAt);
    if (broken) log('error', 'database connection failed', `path=${req.url ?? '/'} status=503 db=shop-db:5432`);
    else log('info', `${req.method ?? 'GET'} ${req.url ?? '/'}`, 'status=200');
    if (req.url === '/health') {
      res.writeHead(broken ? 503 : 200, { 'content-type': 'text/plain' });
      res.end(broken ? 'database connection failed\n' : 'ok\n');
      return;
    }
    res.writeHead(broken ? 503 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(broken ? { error: 'database connection failed' } : { products: ['kettle', 'teapot'] }));
  });
  const tcp: TcpServer = createTcpServer((sock) => {
    sock.on('error', () => undefined); // probes may reset the connection; that is fine
    sock.end('shop-db ready\n');
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(0, '127.0.0.1', () => resolve());
  });
  const hp = (http.address() as AddressInfo).port;
  const tp = (tcp.address() as AddressInfo).port;
  return {
    httpUrl: `http://127.0.0.1:${hp}/health`,
    tcpTarget: `127.0.0.1:${tp}`,
    startedAt,
    close: async () => {
      http.closeAllConnections();
      await Promise.all([new Promise((r) => http.close(r)), new Promise((r) => tcp.close(r))]);
    },
  };
}

/** The demo's vigil.yml, pointing at the running demo service. */
export function demoConfig(svc: DemoService, listen: string, logFile?: string): Record<string, unknown> {
  return {
    server: { listen },
    services: [
      { name: 'shop-api', owner: 'team-shop', tier: 'critical', depends_on: ['shop-db'] },
      { name: 'shop-db', owner: 'team-shop' },
    ],
    checks: [
      {
        name: 'shop-api-health',
        service: 'shop-api',
        type: 'http',
        url: svc.httpUrl,
        interval: '2s',
        timeout: '1s',
        expect: { status: [200], body_contains: 'ok', max_response_time: '500ms' },
        failure_threshold: 3,
        recovery_threshold: 2,
        severity: 'critical',
        annotations: { runbook_url: 'https://runbooks.example.com/shop-api-down' },
      },
      { name: 'shop-db-port', service: 'shop-db', type: 'tcp', target: svc.tcpTarget, interval: '5s', severity: 'high' },
    ],
    receivers: [{ name: 'console', log_configs: [{ send_resolved: true }] }],
    route: { receiver: 'console', group_by: ['alertname', 'service'], group_wait: '3s', group_interval: '5s', repeat_interval: '4h' },
    incidents: { open_for_severities: ['critical', 'high'], on_alerts_resolved: 'resolve' },
    ...(logFile
      ? {
          logs: {
            sources: [{ name: 'shop-api', paths: [logFile], labels: { service: 'shop-api' }, format: 'logfmt', poll_interval: '500ms' }],
            // A short window so the log alert resolves soon after shop-api recovers.
            detectors: { error_phrases: { window: '20s' } },
          },
        }
      : {}),
  };
}
