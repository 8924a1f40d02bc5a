export interface StoredResult {
  readonly check: string;
  readonly t: number;
  readonly success: boolean;
  readonly durationMs: number;
  readonly message: string;
}

export interface Uptime {
  /** Ratio of successful results, or null when the window holds no result. */
  readonly '24h': number | null;
  readonly '7d': number | null;
  readonly '30d': number | null;
}

/** A check's alerting state to persist (JSON-safe), as of `at`. */
export interface StoredState {
  readonly check: string;
  readonly state: unknown;
  readonly at: number;
}

/**
 * Check history and state, as the check runtime needs them. record() and saveState() are
 * durable when they resolve. Implemented on SQL in store/sql-check-store.ts.
 */
export interface CheckStore {
  /** Results, their rollups and the given states, in one transaction (one commit). */
  record(results: readonly StoredResult[], states?: readonly StoredState[]): Promise<void>;
  results(check: string, opts: { limit: number; before?: number }): Promise<StoredResult[]>;
  uptime(check: string, now: number): Promise<Uptime>;
  saveState(check: string, state: unknown, now: number): Promise<void>;
  loadStates(): Promise<Map<string, unknown>>;
  prune(now: number): Promise<void>;
}
