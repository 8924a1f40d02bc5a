import type { Clock, TimerHandle } from '../model/clock.js';

/**
 * Measures how late the event loop runs a timer: every `intervalMs` it schedules the next
 * tick and reports how far past its due time the tick ran (0 when on time). A synchronous
 * stall of 300 ms — a long database commit, a big JSON.stringify — shows as one observation
 * of about 300 ms; probes, scrapes and API requests waiting behind it saw the same delay.
 */
export class EventLoopLagSampler {
  private timer: TimerHandle | undefined;
  private due = 0;

  constructor(
    private readonly clock: Clock,
    private readonly observe: (seconds: number) => void,
    private readonly intervalMs = 10,
  ) {}

  start(): void {
    if (this.timer) return;
    this.schedule();
  }

  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.due = this.clock.now() + this.intervalMs;
    this.timer = this.clock.setTimeout(() => this.tick(), this.intervalMs);
  }

  private tick(): void {
    this.observe(Math.max(0, this.clock.now() - this.due) / 1000);
    this.schedule();
  }
}
