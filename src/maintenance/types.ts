/**
 * A maintenance window: planned work on some services between two times. While it is active,
 * alerts whose `service` label names one of its services are muted in the alert pipeline
 * (nobody is paged, no incident opens), and SLOs with `exclude_maintenance: true` leave its
 * time out of their SLI. Times are milliseconds since the epoch; `end` is exclusive.
 */
export interface MaintenanceWindow {
  readonly id: string;
  readonly services: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly reason: string;
  /** `config`: declared under `maintenance:` in vigil.yml (read-only through the API); `api`: created at runtime. */
  readonly source: 'config' | 'api';
  /** Who created it: a token name, `anonymous` on an open loopback API, or `config`. */
  readonly createdBy: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Set when someone ended it before its planned end (DELETE while active): who, and the planned end. */
  readonly endedEarlyBy: string | null;
  readonly plannedEnd: number | null;
}

export type MaintenanceState = 'upcoming' | 'active' | 'completed';

export function stateAt(w: Pick<MaintenanceWindow, 'start' | 'end'>, now: number): MaintenanceState {
  if (now < w.start) return 'upcoming';
  return now < w.end ? 'active' : 'completed';
}

/** What subscribers hear (the status page and its subscribers, incidents when a window ends). */
export interface MaintenanceEvent {
  readonly kind: 'created' | 'updated' | 'cancelled' | 'started' | 'ended';
  readonly window: MaintenanceWindow;
  readonly at: number;
}

export type MaintenanceListener = (ev: MaintenanceEvent) => void;

/** Persistence of the windows created through the API (config windows live in the config). */
export interface MaintenanceStore {
  all(): Promise<MaintenanceWindow[]>;
  insert(w: MaintenanceWindow): Promise<void>;
  update(w: MaintenanceWindow): Promise<void>;
  delete(id: string): Promise<void>;
  /** Forgets windows that ended before `before`. */
  prune(before: number): Promise<number>;
}

/**
 * What other modules read (reports, the status page, SLOs): the windows as they stand, never
 * changing them. `MaintenanceService` implements it. Times are ms since the epoch; windows come
 * in start order; `service` narrows to windows covering that service.
 */
export interface MaintenanceReader {
  /** Windows active at `at` (default now). */
  active(at?: number, service?: string): MaintenanceWindow[];
  /** Windows overlapping [from, to): maintenance done (or planned) in a period. */
  overlapping(from: number, to: number, service?: string): MaintenanceWindow[];
  /** Windows starting after `at` (default now). */
  upcoming(at?: number, service?: string): MaintenanceWindow[];
  /** The time of [from, to) `service` spent in maintenance, merged and clipped (SLOs' exclude_maintenance). */
  intervals(service: string, from: number, to: number): Array<{ readonly start: number; readonly end: number }>;
  /** Window events (created, updated, cancelled, started, ended); returns an unsubscribe function. */
  subscribe(listener: MaintenanceListener): () => void;
}
