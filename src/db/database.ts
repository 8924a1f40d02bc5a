import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations.js';

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  readonly db: Db;
  readonly path: string;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the embedded SQLite database in `dataDir` and brings its schema
 * up to date. WAL mode with synchronous=FULL: a committed transaction survives SIGKILL and
 * power loss, which the outbox's at-least-once guarantee relies on.
 */
export async function openSqlite(dataDir: string): Promise<OpenedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'vigil.db');
  const raw = new BetterSqlite3(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
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
