/** Messages between the SQLite worker thread and its Kysely driver (sqlite-worker-driver.ts). */

/** What the worker opens: the database file and the pragmas to set before anything else. */
export interface SqliteWorkerData {
  readonly path: string;
  readonly pragmas: readonly string[];
}

export interface SqliteRequest {
  readonly id: number;
  readonly sql: string;
  readonly params: readonly unknown[];
}

export type SqliteResponse =
  | { readonly id: number; readonly rows: unknown[] }
  | { readonly id: number; readonly changes: number; readonly lastInsertRowid: number | bigint }
  | { readonly id: number; readonly error: { readonly message: string; readonly code: string | undefined } };

/** The first message: the database is open (or why not). */
export type SqliteReady = { readonly ready: true } | { readonly ready: false; readonly message: string };
