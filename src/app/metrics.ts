import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LatestSamples } from './latest-samples.js';
import { systemClock } from '../model/clock.js';
import { EventLoopLagSampler } from './event-loop-lag.js';

/** Vigil's own metrics (process, checks, notifications, outbox, API) plus the latest probe samples. */
export class VigilMetrics {
  readonly registry = new Registry();
  readonly checksRun = new Counter({ name: 'vigil_checks_run_total', help: 'Check runs by check and result.', labelNames: ['check', 'result'], registers: [this.registry] });
  readonly probeDuration = new Histogram({
    name: 'vigil_probe_duration_seconds',
    help: 'How long probe runs took.',
    labelNames: ['type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly scheduleLag = new Histogram({
    name: 'vigil_check_schedule_lag_seconds',
    help: 'Delay between when a check was due and when it started.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly eventLoopLag = new Histogram({
    name: 'vigil_event_loop_lag_seconds',
    help: 'How late the event loop ran a timer due every 10 ms: time the server could not react (probes, requests, deliveries wait as long).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** Feeds vigil_event_loop_lag_seconds once started; always on real time, whatever clock the app runs on. */
  readonly loopLag = new EventLoopLagSampler(systemClock, (s) => this.eventLoopLag.observe(s));
  readonly notifications = new Counter({
    name: 'vigil_notifications_total',
    help: 'Notification delivery attempts by receiver and outcome (sent, retry, failed).',
    labelNames: ['receiver', 'outcome'],
    registers: [this.registry],
  });
  readonly alertsFiring: Gauge;
  readonly outboxDepth: Gauge;
  readonly httpDuration = new Histogram({
    name: 'vigil_http_request_duration_seconds',
    help: 'API request durations.',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  constructor(
    private readonly samples: LatestSamples,
    outboxDepth: () => Promise<number>,
    alertsFiring: () => number,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.alertsFiring = new Gauge({
      name: 'vigil_alerts_firing',
      help: 'Alerts currently firing.',
      registers: [this.registry],
      collect() {
        this.set(alertsFiring());
      },
    });
    this.outboxDepth = new Gauge({
      name: 'vigil_outbox_depth',
      help: 'Notifications waiting in the outbox.',
      registers: [this.registry],
      async collect() {
        this.set(await outboxDepth());
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async text(): Promise<string> {
    return (await this.registry.metrics()) + this.samples.text();
  }

  /**
   * Each check's two counter children and each probe type's histogram child, looked up once:
   * prom-client otherwise hashes the label object on every observation (thousands a second).
   */
  private readonly runChildren = new Map<string, { success: { inc(): void }; failure: { inc(): void } }>();
  private readonly durationChildren = new Map<string, { observe(v: number): void }>();

  /** The check runtime's CheckMetrics. */
  readonly checkMetrics = {
    checkRun: (check: string, success: boolean) => {
      let c = this.runChildren.get(check);
      if (c === undefined) {
        c = { success: this.checksRun.labels({ check, result: 'success' }), failure: this.checksRun.labels({ check, result: 'failure' }) };
        this.runChildren.set(check, c);
      }
      (success ? c.success : c.failure).inc();
    },
    probeDuration: (type: string, seconds: number) => {
      let h = this.durationChildren.get(type);
      if (h === undefined) this.durationChildren.set(type, (h = this.probeDuration.labels({ type })));
      h.observe(seconds);
    },
    scheduleLag: (seconds: number) => this.scheduleLag.observe(seconds),
  };

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    this.httpDuration.observe({ route, method, status: String(status) }, seconds);
  }
}
