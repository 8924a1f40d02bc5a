import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import type { Migration } from 'kysely';
import { migrationProvider } from './migrations.js';
import { SqliteWorkerDialect } from './sqlite-worker-driver.js';

/**
 * The database handle modules' stores take. Each store types it with its own tables
 * (`Kysely<AlertTables>`); the composition root hands the same connection to all.
 */
export type Db = Kysely<any>;

export interface OpenedDatabase {
  readonly db: Db;
  readonly path: string;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenSqliteOptions {
  /**
   * Run statements in a worker thread (the server does): a commit's fsync then never holds up
   * the event loop. Off, they run on the calling thread (tools, store tests).
   */
  readonly worker?: boolean;
}

/** Every connection's settings, see openSqlite. */
const PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'busy_timeout = 5000', 'foreign_keys = ON'];

/**
 * Opens (creating if needed) the embedded SQLite database in `dataDir` and brings every
 * module's schema up to date (`migrations`: one record per module). WAL mode with
 * synchronous=FULL: a committed transaction survives SIGKILL and power loss, which the
 * outbox's at-least-once guarantee and persisted silences rely on. That holds in both modes:
 * a write resolves once SQLite's COMMIT has returned, whichever thread ran it.
 */
export async function openSqlite(dataDir: string, migrations: ReadonlyArray<Record<string, Migration>>, opts: OpenSqliteOptions = {}): Promise<OpenedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'vigil.db');
  let db: Db;
  if (opts.worker) {
    db = new Kysely<unknown>({ dialect: new SqliteWorkerDialect({ path, pragmas: PRAGMAS }) });
  } else {
    const raw = new BetterSqlite3(path);
    for (const p of PRAGMAS) raw.pragma(p);
    db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  }
  const migrator = new Migrator({ db, provider: migrationProvider(migrations), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    await db.destroy();
    throw new Error(`database migration ${failed} failed in ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    db,
    path,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}
