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
