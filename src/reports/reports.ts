import { DateTime } from 'luxon';
import { invalid } from '../model/errors.js';
import { validDay } from '../incidents/index.js';
import type { ReportingConfig } from './config.js';
import type { ReportDocument } from './document.js';
import type { ReportSources } from './sources.js';
import { incidentReport } from './incident-report.js';
import { dailyReport } from './daily-report.js';
import { handoffReport } from './handoff-report.js';
import { slaReport } from './sla-report.js';

/** What to report on: the day, month or incident, depending on the kind. */
export type ReportRequest =
  | { readonly kind: 'incident'; readonly id: string }
  | { readonly kind: 'daily'; readonly date?: string }
  | { readonly kind: 'handoff' }
  | { readonly kind: 'sla'; readonly month?: string };

/** Builds reports from the sources; dates default to the last complete day / month in the reporting zone. */
export class Reports {
  constructor(
    private readonly src: ReportSources,
    private readonly cfg: ReportingConfig,
  ) {}

  get timeZone(): string {
    return this.cfg.time_zone;
  }

  /** Yesterday, in the reporting zone (or `zone`), relative to `at`. */
  previousDay(at: number, zone = this.cfg.time_zone): string {
    return DateTime.fromMillis(at, { zone }).minus({ days: 1 }).toFormat('yyyy-MM-dd');
  }

  previousMonth(at: number, zone = this.cfg.time_zone): string {
    return DateTime.fromMillis(at, { zone }).minus({ months: 1 }).toFormat('yyyy-MM');
  }

  build(req: ReportRequest, zone?: string): Promise<ReportDocument> {
    const cfg = zone ? { ...this.cfg, time_zone: zone } : this.cfg;
    switch (req.kind) {
      case 'incident':
        return incidentReport(this.src, req.id, cfg.time_zone);
      case 'daily': {
        const date = req.date ?? this.previousDay(this.src.now(), cfg.time_zone);
        if (!validDay(date)) throw invalid(`date must be a day as YYYY-MM-DD, got "${date}"`);
        return dailyReport(this.src, cfg, date);
      }
      case 'handoff':
        return handoffReport(this.src, cfg);
      case 'sla': {
        const month = req.month ?? this.previousMonth(this.src.now(), cfg.time_zone);
        if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw invalid(`month must be YYYY-MM, got "${month}"`);
        return slaReport(this.src, cfg, month);
      }
      default: {
        const never: never = req;
        return never;
      }
    }
  }
}
