import type { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type { MuteTarget, Muter } from '../../model/mute.js';
import { matchersMatch } from '../silence/silence.js';

/** One inhibit rule after parsing (legacy source_match/_re folded into the matchers). */
export interface InhibitRule {
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  readonly equal: readonly string[];
}

/** What the inhibitor needs of an alert the store accepted. */
export interface ObservedAlert {
  readonly fingerprint: string;
  readonly labels: Labels;
  readonly endsAt: number;
}

interface RuleState {
  readonly rule: InhibitRule;
  /** Source alerts by the values of the `equal` labels, then by fingerprint. */
  readonly sources: Map<string, Map<string, ObservedAlert>>;
}

function equalKey(equal: readonly string[], labels: Labels): string {
  let k = '';
  for (const n of equal) k += `${labels[n] ?? ''}\u0000`;
  return k;
}

/**
 * Inhibition with Alertmanager's semantics (inhibit/inhibit.go): an alert matching a rule's
 * target matchers is muted while a firing alert matching its source matchers has the same
 * values for every `equal` label (a label missing on both counts as equal). An alert that
 * matches both sides is never inhibited by an alert that also matches both (so a rule cannot
 * make two such alerts inhibit each other). Source alerts are observed as the alert store
 * accepts them; resolved ones stop inhibiting and are forgotten.
 */
export class Inhibitor implements Muter {
  readonly stage = 'inhibited';
  readonly scope = 'alert' as const;
  private readonly rules: RuleState[];

  constructor(rules: readonly InhibitRule[]) {
    this.rules = rules.map((rule) => ({ rule, sources: new Map() }));
  }

  /** The alert store's observer: keeps each rule's source alerts. */
  observe(a: ObservedAlert): void {
    for (const r of this.rules) {
      if (!matchersMatch(r.rule.sourceMatchers, a.labels)) continue;
      const key = equalKey(r.rule.equal, a.labels);
      let bucket = r.sources.get(key);
      if (!bucket) r.sources.set(key, (bucket = new Map()));
      bucket.set(a.fingerprint, a);
    }
  }

  mutedBy(target: MuteTarget, now: number): readonly string[] {
    for (const r of this.rules) {
      if (!matchersMatch(r.rule.targetMatchers, target.labels)) continue;
      const bucket = r.sources.get(equalKey(r.rule.equal, target.labels));
      if (!bucket) continue;
      const twoSided = matchersMatch(r.rule.sourceMatchers, target.labels);
      for (const [fp, s] of bucket) {
        if (s.endsAt !== 0 && s.endsAt <= now) {
          bucket.delete(fp);
          continue;
        }
        if (twoSided && matchersMatch(r.rule.targetMatchers, s.labels)) continue;
        return [fp];
      }
      if (bucket.size === 0) r.sources.delete(equalKey(r.rule.equal, target.labels));
    }
    return [];
  }
}
