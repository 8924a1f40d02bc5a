import type { PipelineEvent, PipelineListener } from '../model/notification.js';
import type { StoredAlert } from './intake.js';
import type { MuteVerdict } from './muting.js';

/** An event's subscribers; `kind` set: the queue holds only its alert, muted by nothing. */
interface EventTag {
  readonly listeners: readonly PipelineListener[];
  readonly kind: 'firing' | 'resolved' | undefined;
}

const NOT_MUTED: readonly MuteVerdict[] = Object.freeze([]);

/**
 * The pipeline's events on their way to subscribers, in order, each to the subscribers there
 * were when it happened (`listeners` is replaced, never changed in place). Never synchronous:
 * a subscriber hears of an event after the call that caused it returns.
 *
 * A queue drained by one loop instead of a promise chain (which held a promise, a closure and
 * its context per event), and an alert event muted by nothing (most) waits as its alert alone,
 * the event made when it is handed out: a burst of 50,000 alerts firing is 50,000 events
 * waiting behind the incidents subscriber's database work.
 */
export class EventQueue {
  private listeners: readonly PipelineListener[] = [];
  /** From `head` on: events not yet handled, or (tag with a kind) only their alert. */
  private items: Array<PipelineEvent | StoredAlert> = [];
  private itemTags: EventTag[] = [];
  private head = 0;
  /** The tags for the current subscribers, made once per change of them. */
  private tags: { readonly listeners: readonly PipelineListener[]; readonly event: EventTag; readonly firing: EventTag; readonly resolved: EventTag } | undefined;
  private draining: Promise<void> | undefined;

  constructor(private readonly onError: (err: unknown, ev: PipelineEvent) => void) {}

  /** Returns an unsubscribe function. */
  subscribe(listener: PipelineListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(ev: PipelineEvent): void {
    if (this.listeners.length === 0) return;
    this.enqueue(ev, this.currentTags().event);
  }

  /** An alert's transition, with the alert-scope stages muting it (a firing alert) or none. */
  emitAlert(kind: 'firing' | 'resolved', alert: StoredAlert, mutedBy: readonly MuteVerdict[] | undefined): void {
    if (this.listeners.length === 0) return;
    const tags = this.currentTags();
    if (mutedBy !== undefined && mutedBy.length > 0) this.enqueue({ type: 'alert', kind, alert, mutedBy }, tags.event);
    else this.enqueue(alert, kind === 'firing' ? tags.firing : tags.resolved);
  }

  /** Resolves once every event so far has been handled by the subscribers. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private currentTags(): NonNullable<EventQueue['tags']> {
    const listeners = this.listeners;
    if (this.tags?.listeners !== listeners) {
      this.tags = { listeners, event: { listeners, kind: undefined }, firing: { listeners, kind: 'firing' }, resolved: { listeners, kind: 'resolved' } };
    }
    return this.tags;
  }

  private enqueue(item: PipelineEvent | StoredAlert, tag: EventTag): void {
    this.items.push(item);
    this.itemTags.push(tag);
    this.draining ??= Promise.resolve().then(() => this.drain());
  }

  private async drain(): Promise<void> {
    while (this.head < this.items.length) {
      const item = this.items[this.head] as PipelineEvent | StoredAlert;
      const { listeners, kind } = this.itemTags[this.head] as EventTag;
      const ev: PipelineEvent =
        kind === undefined
          ? (item as PipelineEvent)
          : kind === 'firing'
            ? { type: 'alert', kind, alert: item as StoredAlert, mutedBy: NOT_MUTED }
            : { type: 'alert', kind, alert: item as StoredAlert };
      this.head++;
      if (this.head === this.items.length) {
        this.items = [];
        this.itemTags = [];
        this.head = 0;
      } else if (this.head >= 4096) {
        this.items = this.items.slice(this.head);
        this.itemTags = this.itemTags.slice(this.head);
        this.head = 0;
      }
      for (const l of listeners) {
        try {
          await l(ev);
        } catch (err) {
          this.onError(err, ev);
        }
      }
    }
    this.draining = undefined;
  }
}
