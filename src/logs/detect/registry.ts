import type { DetectorsConfig } from './config.js';
import { BruteForceDetector } from './brute-force.js';
import { ErrorPhrasesDetector } from './error-phrases.js';
import { NewLoginIpDetector } from './new-login-ip.js';
import { NewPatternDetector, NEW_PATTERN_DEFAULTS } from './new-pattern.js';
import { PrivilegeEscalationDetector } from './privilege-escalation.js';
import { RateSpikeDetector, RATE_SPIKE_DEFAULTS } from './rate-spike.js';
import type { Detector, DetectorAlert, DetectorEntry } from './types.js';
import { pushAll } from '../../model/arrays.js';

type Factories = { [K in keyof DetectorsConfig]: (c: DetectorsConfig[K]) => Detector };

// One line per detector.
const FACTORIES: Factories = {
  new_pattern: (c) => new NewPatternDetector({ ...NEW_PATTERN_DEFAULTS, baselineMs: c.baseline, windowMs: c.window, levels: c.levels, severity: c.severity }),
  rate_spike: (c) => new RateSpikeDetector({ ...RATE_SPIKE_DEFAULTS, bucketMs: c.bucket, baselineBuckets: c.baseline_windows, minBaselineBuckets: c.min_baseline_windows, k: c.k, minCount: c.min_count, resolveAfterMs: c.resolve_after, severity: c.severity }),
  error_phrases: (c) => new ErrorPhrasesDetector({ phrases: c.phrases, windowMs: c.window, minCount: c.min_count, severity: c.severity }),
  brute_force: (c) => new BruteForceDetector({ windowMs: c.window, perIp: c.per_ip, perUser: c.per_user, severity: c.severity }),
  new_login_ip: (c) => new NewLoginIpDetector({ learningMs: c.learning, windowMs: c.window, severity: c.severity, maxUsers: 50_000, maxIpsPerUser: 200 }),
  privilege_escalation: (c) => new PrivilegeEscalationDetector({ rules: c.rules, windowMs: c.window, severity: c.severity }),
};

/** The enabled detectors of a parsed `detectorsSchema` config. Invalid rule regexes throw here. */
export function buildDetectors(config: DetectorsConfig): Detector[] {
  const out: Detector[] = [];
  for (const name of Object.keys(FACTORIES) as (keyof DetectorsConfig)[]) {
    const c = config[name];
    if (c.enabled) out.push((FACTORIES[name] as (c: unknown) => Detector)(c));
  }
  return out;
}

/** Fans entries out to every detector and gathers their alerts; one detector throwing does not stop the others. */
export class DetectorSet implements Detector {
  readonly name = 'all';
  constructor(
    readonly detectors: readonly Detector[],
    private readonly onError: (err: unknown, detector: string) => void = () => undefined,
  ) {}

  observe(entry: DetectorEntry): void {
    for (const d of this.detectors) {
      try {
        d.observe(entry);
      } catch (e) {
        this.onError(e, d.name);
      }
    }
  }

  /** Every detector's saved baseline, by detector name. */
  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const d of this.detectors) {
      try {
        if (d.snapshot) out[d.name] = d.snapshot();
      } catch (e) {
        this.onError(e, d.name);
      }
    }
    return out;
  }

  /** Gives each detector its saved baseline; one it cannot read is reported and skipped. */
  restore(all: Readonly<Record<string, unknown>>): void {
    for (const d of this.detectors) {
      if (!d.restore || all[d.name] === undefined) continue;
      try {
        d.restore(all[d.name]);
      } catch (e) {
        this.onError(e, d.name);
      }
    }
  }

  tick(now: number): DetectorAlert[] {
    const out: DetectorAlert[] = [];
    for (const d of this.detectors) {
      try {
        pushAll(out, d.tick(now));
      } catch (e) {
        this.onError(e, d.name);
      }
    }
    return out;
  }
}
