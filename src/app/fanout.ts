import type { Labels } from '../model/labels.js';
import type { Appendable, Appender } from '../storage/index.js';

/**
 * Writes every sample to several stores (the TSDB and /metrics' latest values). A sample one
 * store rejects (out of order, duplicate) is reported and skipped there only.
 */
export class FanoutAppendable implements Appendable {
  constructor(
    private readonly targets: readonly Appendable[],
    private readonly onReject: (err: unknown, labels: Labels) => void,
  ) {}

  appender(): Appender {
    const apps = this.targets.map((t) => t.appender());
    return {
      append: (labels, t, v) => {
        for (const a of apps) {
          try {
            a.append(labels, t, v);
          } catch (err) {
            this.onReject(err, labels);
          }
        }
      },
      commit: async () => {
        await Promise.all(apps.map((a) => a.commit()));
      },
      rollback: () => {
        for (const a of apps) a.rollback();
      },
    };
  }
}
