/**
 * The notification log: what was last notified to a receiver for a group, so a flush sends
 * only when something changed or repeat_interval has passed (Alertmanager's nflog and
 * DedupStage). The app stores it durably so a restart does not repeat notifications.
 */
export interface NotificationLogEntry {
  /** Fingerprints of the firing alerts in the last notification. */
  readonly firing: readonly string[];
  /** Fingerprints of the resolved alerts in the last notification. */
  readonly resolved: readonly string[];
  /** Flush time (ms) of the last notification. */
  readonly sentAt: number;
}

export interface NotificationLog {
  get(receiver: string, groupKey: string): NotificationLogEntry | undefined | Promise<NotificationLogEntry | undefined>;
  set(receiver: string, groupKey: string, entry: NotificationLogEntry): void | Promise<void>;
}

export class InMemoryNotificationLog implements NotificationLog {
  private readonly entries = new Map<string, NotificationLogEntry>();

  get(receiver: string, groupKey: string): NotificationLogEntry | undefined {
    return this.entries.get(`${receiver}\u0000${groupKey}`);
  }

  set(receiver: string, groupKey: string, entry: NotificationLogEntry): void {
    this.entries.set(`${receiver}\u0000${groupKey}`, { firing: [...entry.firing], resolved: [...entry.resolved], sentAt: entry.sentAt });
  }
}

export interface UpdateDecision {
  readonly send: boolean;
  /**
   * True when the only reason to send is a change in the resolved set. Integrations without
   * send_resolved skip such a notification (their own nflog would not have fired).
   */
  readonly onlyResolvedChanged: boolean;
}

function isSubset(sub: Iterable<string>, of: ReadonlySet<string>): boolean {
  for (const fp of sub) if (!of.has(fp)) return false;
  return true;
}

/** An entry's fingerprints as sets, built once per entry (entries are replaced, never changed). */
const firingSets = new WeakMap<readonly string[], ReadonlySet<string>>();
export function fingerprintSet(fps: readonly string[]): ReadonlySet<string> {
  let set = firingSets.get(fps);
  if (!set) firingSets.set(fps, (set = new Set(fps)));
  return set;
}

/**
 * Alertmanager's DedupStage.needsUpdate. `firing` and `resolved` are the fingerprints of the
 * group's alerts at flush time.
 */
export function needsUpdate(
  entry: NotificationLogEntry | undefined,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  sendResolved: boolean,
  repeatInterval: number,
  now: number,
): UpdateDecision {
  const yes = { send: true, onlyResolvedChanged: false };
  const no = { send: false, onlyResolvedChanged: false };
  // Never notified: only a firing alert is news (fired-and-resolved within group_wait is not).
  if (!entry) return firing.size > 0 ? yes : no;
  // A firing alert the receiver has not heard about.
  if (!isSubset(firing, fingerprintSet(entry.firing))) return yes;
  // Everything resolved: tell the receiver if it was told something fired (the resolved
  // notification is dropped per integration without send_resolved, but the log is cleared).
  if (firing.size === 0) return entry.firing.length > 0 ? yes : no;
  if (sendResolved && !isSubset(resolved, fingerprintSet(entry.resolved))) return { send: true, onlyResolvedChanged: true };
  return entry.sentAt < now - repeatInterval ? yes : no;
}
