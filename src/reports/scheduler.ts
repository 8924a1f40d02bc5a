import { DateTime } from 'luxon';
import type { Clock, TimerHandle } from '../model/clock.js';
import type { ScheduledReport } from './config.js';
import type { ReportDocument } from './document.js';
import type { Reports, ReportRequest } from './reports.js';
import { render } from './render.js';

/** A report ready to send: rendered, with the receivers it goes to. */
export interface ReportDelivery {
  readonly receivers: readonly string[];
  readonly document: ReportDocument;
  readonly body: string;
  readonly format: 'markdown' | 'html';
  /** Stable per report and period: the same report is never sent twice. */
  readonly key: string;
}

/**
 * The next time after `after` one of the schedule's times of day comes round in its zone. A
 * time that does not exist on a DST day (02:30 when clocks jump) runs at the shifted time
 * luxon gives; an sla report runs only on the 1st of the month.
 */
export function nextRun(s: ScheduledReport, zone: string, after: number): number {
  let day = DateTime.fromMillis(after, { zone }).startOf('day');
  for (let i = 0; i < 400; i++, day = day.plus({ days: 1 })) {
    if (s.kind === 'sla' && day.day !== 1) continue;
    const times = s.at
      .map((hhmm) => {
        const [h, m] = hhmm.split(':').map(Number);
        return day.set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 }).toMillis();
      })
      .filter((t) => t > after)
      .sort((a, b) => a - b);
    if (times[0] !== undefined) return times[0];
  }
  throw new Error(`no next run for a ${s.kind} report`);
}

/**
 * Sends scheduled reports at their times (a Clock timer per schedule, so tests drive it
 * with a FakeClock): daily → the previous day, handoff → the shift just ending, sla → the
 * previous month. A failed build is reported to onError and retried at the next time.
 */
export class ReportScheduler {
  private timers = new Map<number, TimerHandle>();
  private running = false;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly opts: {
      readonly schedules: readonly ScheduledReport[];
      readonly reports: Reports;
      readonly clock: Clock;
      readonly send: (d: ReportDelivery) => Promise<void>;
      readonly onError: (err: unknown, schedule: ScheduledReport) => void;
    },
  ) {}

  start(): void {
    this.running = true;
    this.opts.schedules.forEach((s, i) => this.arm(i, s));
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers.values()) this.opts.clock.clearTimeout(t);
    this.timers.clear();
    await Promise.all(this.inFlight);
  }

  private zone(s: ScheduledReport): string {
    return s.time_zone ?? this.opts.reports.timeZone;
  }

  private arm(i: number, s: ScheduledReport): void {
    if (!this.running) return;
    const now = this.opts.clock.now();
    const at = nextRun(s, this.zone(s), now);
    this.timers.set(
      i,
      this.opts.clock.setTimeout(() => {
        const run = this.run(s, at).finally(() => this.inFlight.delete(run));
        this.inFlight.add(run);
        this.arm(i, s);
      }, at - now),
    );
  }

  /** Builds and sends one scheduled report as of `at`. */
  async run(s: ScheduledReport, at: number): Promise<void> {
    const zone = this.zone(s);
    const r = this.opts.reports;
    const req: ReportRequest = s.kind === 'daily' ? { kind: 'daily', date: r.previousDay(at, zone) } : s.kind === 'sla' ? { kind: 'sla', month: r.previousMonth(at, zone) } : { kind: 'handoff' };
    const period = req.kind === 'daily' ? req.date : req.kind === 'sla' ? req.month : new Date(at).toISOString();
    try {
      const document = await r.build(req, zone);
      await this.opts.send({ receivers: s.receivers, document, body: render(document, s.format), format: s.format, key: `report:${s.kind}:${period}` });
    } catch (err) {
      this.opts.onError(err, s);
    }
  }
}
