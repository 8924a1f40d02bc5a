/**
 * An escalation: what happens after routing picks a receiver with an escalation policy. One
 * per receiver and alert group while the group fires; its state lives in a store so a
 * restarted process resumes at the level it had reached.
 */
export type EscalationStatus = 'active' | 'acknowledged' | 'resolved' | 'exhausted';

export interface Escalation {
  readonly id: number;
  readonly receiver: string;
  readonly groupKey: string;
  readonly policy: string;
  readonly status: EscalationStatus;
  /** Index of the next level to notify (levels.length once the last one has been). */
  readonly level: number;
  /** How many times the levels have started over (`repeat`). */
  readonly round: number;
  /** When the next step is due: the next level, or (acknowledged) the ack timeout. */
  readonly nextAt: number | null;
  readonly startedAt: number;
  readonly updatedAt: number;
  readonly ackedAt: number | null;
  readonly ackedBy: string | null;
  readonly ackedVia: string | null;
  readonly incidentId: string | null;
  readonly fingerprints: readonly string[];
  /** The latest notification of the group (JSON), what pages carry. */
  readonly message: string;
  /** Everyone paged so far and through which channel, to tell them when the alerts resolve. */
  readonly paged: readonly PagedVia[];
  /** Bumped by every change; commits compare it so two steps never both apply. */
  readonly version: number;
}

export type NewEscalation = Omit<Escalation, 'id' | 'version'>;

export interface PagedVia {
  readonly person: string;
  readonly channel: string;
}

/** A notification rule with a delay (`after: 5m`), waiting to page one person. */
export interface Followup {
  readonly id: number;
  readonly escalationId: number;
  readonly dueAt: number;
  readonly person: string;
  readonly channels: readonly string[];
  readonly level: number;
  readonly round: number;
}

export type NewFollowup = Omit<Followup, 'id' | 'escalationId'>;

/** One page as an outbox job (the shape of notify's NewJob; integration type `page`). */
export interface PageJob {
  readonly receiver: string;
  readonly integrationType: 'page';
  readonly integrationIndex: 0;
  readonly groupKey: string;
  readonly fingerprints: readonly string[];
  readonly payload: string;
  readonly createdAt: number;
}

/** Who a page is for, carried in its payload as `page`. */
export interface PageInfo {
  readonly escalation: number;
  readonly person: string;
  readonly channel: string;
  readonly address: string;
  /** 1-based, as people say it. */
  readonly level: number;
  readonly round: number;
}

export interface Effects {
  readonly pages: readonly PageJob[];
  readonly followups: readonly NewFollowup[];
  /** Follow-ups handled (or cancelled) by this step. */
  readonly doneFollowups: readonly number[];
}

export interface EscalationFilter {
  readonly status?: 'open' | 'all';
  readonly incidentId?: string;
  readonly limit?: number;
}

/**
 * Persistence for escalations. `insert` and `commit` are atomic with the pages and follow-ups
 * they carry: the pages are durable outbox jobs when they resolve, or nothing happened.
 */
export interface EscalationStore {
  /** The open (active, acknowledged or exhausted: not resolved) escalation of a group. */
  open(receiver: string, groupKey: string): Promise<Escalation | undefined>;
  get(id: number): Promise<Escalation | undefined>;
  list(filter: EscalationFilter): Promise<Escalation[]>;
  insert(e: NewEscalation): Promise<Escalation>;
  /** Applies `patch` if the escalation is still at `version`, with its effects; false if it moved on meanwhile. */
  commit(id: number, version: number, patch: Partial<NewEscalation>, effects: Effects): Promise<boolean>;
  /** Active or acknowledged escalations whose nextAt has come. */
  due(now: number, limit: number): Promise<Escalation[]>;
  followupsDue(now: number, limit: number): Promise<Followup[]>;
  /** The earliest nextAt or follow-up dueAt still ahead, to sleep until. */
  nextDue(): Promise<number | undefined>;
}

/** Something that happened to an escalation, for the incident timeline. */
export type EscalationEvent =
  | { readonly kind: 'level'; readonly level: number; readonly round: number; readonly people: readonly string[] }
  | { readonly kind: 'page_queued'; readonly page: PageInfo; /** a resolved message to someone paged before */ readonly resolved?: true }
  | { readonly kind: 'page_skipped'; readonly person: string; readonly channel: string; readonly reason: string; readonly level: number }
  | { readonly kind: 'acknowledged'; readonly by: string; readonly via: string }
  | { readonly kind: 'resolved'; readonly by: string; readonly via: string }
  | { readonly kind: 'exhausted' }
  | { readonly kind: 'ack_timeout' };
