import type { Worker } from 'node:worker_threads';
import { CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { DatabaseConnection, DatabaseIntrospector, Dialect, DialectAdapter, Driver, Kysely, QueryCompiler, QueryResult } from 'kysely';
import { startWorker } from '../model/worker.js';
import type { SqliteReady, SqliteResponse, SqliteWorkerData } from './sqlite-worker-protocol.js';

/** An error SQLite raised in the worker, with its code (SQLITE_CONSTRAINT_UNIQUE, …). */
export class SqliteWorkerError extends Error {
  override name = 'SqliteError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * The one connection, in a worker thread. Requests are answered in order; a crashed worker
 * fails every request in flight and every later one (the server's health check then reports
 * the database down), rather than leaving callers waiting.
 */
class WorkerConnection implements DatabaseConnection {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: QueryResult<unknown>) => void; reject: (e: unknown) => void }>();
  private dead: Error | undefined;

  constructor(private readonly worker: Worker) {
    // Holds the process open only while a statement is in flight, as a file handle would.
    worker.unref();
    worker.on('message', (m: SqliteResponse) => this.settle(m));
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => this.fail(new Error(`the database worker exited (code ${code})`)));
  }

  private settle(m: SqliteResponse): void {
    const w = this.waiting.get(m.id);
    if (!w) return;
    this.waiting.delete(m.id);
    if (this.waiting.size === 0) this.worker.unref();
    if ('error' in m) w.reject(new SqliteWorkerError(m.error.message, m.error.code));
    else if ('rows' in m) w.resolve({ rows: m.rows });
    else w.resolve({ rows: [], numAffectedRows: BigInt(m.changes), insertId: BigInt(m.lastInsertRowid) });
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<QueryResult<R>>((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve: resolve as (r: QueryResult<unknown>) => void, reject });
      this.worker.postMessage({ id, sql: q.sql, params: q.parameters });
    });
  }

  async *streamQuery<R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(q);
  }

  async close(): Promise<void> {
    if (this.dead) return;
    const exited = new Promise<void>((r) => this.worker.once('exit', () => r()));
    this.worker.ref();
    this.worker.postMessage('close');
    await exited;
  }
}

/** Kysely's SQLite driver, with statements run by a worker thread (see sqlite-worker-main.ts). */
class WorkerDriver implements Driver {
  private connection: WorkerConnection | undefined;
  /** SQLite has one connection: a transaction holds it until commit or rollback. */
  private lock: Promise<void> | undefined;
  private unlock: (() => void) | undefined;

  constructor(private readonly data: SqliteWorkerData) {}

  async init(): Promise<void> {
    const worker = startWorker(import.meta.url, 'sqlite-worker-main', { workerData: this.data });
    const ready = await new Promise<SqliteReady>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the database worker exited (code ${code}) before opening ${this.data.path}`)));
    });
    if (!ready.ready) throw new Error(`cannot open ${this.data.path}: ${ready.message}`);
    this.connection = new WorkerConnection(worker);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    while (this.lock) await this.lock;
    this.lock = new Promise((r) => (this.unlock = r));
    if (!this.connection) throw new Error('the database is not open');
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    const unlock = this.unlock;
    this.lock = undefined;
    this.unlock = undefined;
    unlock?.();
  }

  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    await this.connection?.close();
  }
}

/** SQLite through a worker thread; SQL, adapter and introspection are Kysely's SQLite ones. */
export class SqliteWorkerDialect implements Dialect {
  constructor(private readonly data: SqliteWorkerData) {}

  createDriver(): Driver {
    return new WorkerDriver(this.data);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
