import { PostgresAdapter } from 'kysely';
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

/**
 * An auto-numbered primary key in each dialect's own form, for every module's migrations:
 * `.addColumn('id', ...autoId(db))`. On SQLite it is `integer primary key autoincrement` (the
 * DDL every shipped migration has always produced there; SQLite's integer is 64-bit). On
 * PostgreSQL it is a `bigint` identity column: Kysely's `autoIncrement()` alone compiles to
 * MySQL's `auto_increment` there, which PostgreSQL refuses, and a 32-bit `integer` would run
 * out on a busy table (check results at 2,000/s in under two weeks).
 */
export function autoId(db: Kysely<unknown>): readonly ['integer' | 'bigint', (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return ['bigint', (c) => c.generatedByDefaultAsIdentity().primaryKey()];
  return ['integer', (c) => c.primaryKey().autoIncrement()];
}
