/**
 * The miner's general rules by name, each one bit of a rule set. Each rule is a token type
 * or a structural mechanism meant to hold for any system, never one system's vocabulary.
 * All are on by default; `MinerOptions.rules` switches single ones off, and the
 * leave-one-system-out harness (bench/loghub-loo.ts) judges each by switching it off.
 * Numbers are always masked.
 */
export const RULES = {
  /** `scheme://host:port/path` with a number in it is one value. */
  urls: 1,
  /** `/var/log/x`, `C:\dir\file`, `\\host\share`: one value. */
  paths: 2,
  /** `true` / `false`, any case. */
  booleans: 4,
  /** `0x1f`, runs of 8+ hex digits, MAC and IPv6 addresses (`00:1a:2b:3c:4d:5e`, `fe80::1`). */
  hex: 8,
  /** 8-4-4-4-12 hex digits. */
  uuid: 16,
  /** Identifiers with a numeric part after `_`: `blk_123`, `attempt_1_0020_m_000001_0`. */
  ids: 32,
  /** `name-1.2.3`, `ip-10-0-0-1`: the name stays, the numeric rest is masked. */
  versions: 64,
  /** Host (numbered or dotted) with port, `/address`, `address:port`: one value. */
  hostPorts: 128,
  /** A number and its size unit (`16.0 KB`) are one value. */
  units: 256,
  /** A written-out date (`Sun Jul 24 02:40:50 2005`) is one value. */
  dates: 512,
  /** A double-quoted string of up to 4 words (`tag="View Lock"`) is one token. */
  quoted: 1024,
  /**
   * Words that differ only in their digits (`eth0`/`eth1`, `u0a12`/`u0a7`) are one variable:
   * they count as agreeing when a line is matched, and never split a pattern.
   */
  numberedNames: 2048,
  /**
   * `key=value` tokens with the same key (`user=root`/`user=bob`) agree when a line is
   * matched (they never split a pattern in any case).
   */
  keyValues: 4096,
  /**
   * A line that finds no cluster of its own token count joins a pattern of another count
   * whose literal tokens are the same, in order, its variables only taking more or fewer
   * tokens (`lifetime <1 sec` / `lifetime 00:42`; see cross-length.ts).
   */
  crossLength: 8192,
  /**
   * A word between two variables of the template never splits it: it is part of a value
   * written in several tokens (`at <*> Jul <*> <*>`), not a constant of another message.
   */
  betweenValues: 16384,
} as const;

export type RuleName = keyof typeof RULES;

/** Every rule on (the default). */
export const ALL_RULES: number = Object.values(RULES).reduce((a: number, b: number) => a | b, 0);

/** The rule set with the rules named `false` switched off. */
export function ruleSet(switches: Readonly<Partial<Record<RuleName, boolean>>> = {}): number {
  let set = ALL_RULES;
  for (const [name, on] of Object.entries(switches) as [RuleName, boolean | undefined][]) {
    const bit = RULES[name];
    if (bit === undefined) throw new RangeError(`miner option rules: unknown rule ${JSON.stringify(name)} (known: ${Object.keys(RULES).join(', ')})`);
    if (on === false) set &= ~bit;
  }
  return set;
}
