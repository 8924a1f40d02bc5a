import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { SqliteReady, SqliteRequest, SqliteResponse, SqliteWorkerData } from './sqlite-worker-protocol.js';
import { systemClock } from '../model/clock.js';
import { collectWhenIdle, WORKER_MIN_GROWTH_BYTES } from '../model/idle-collector.js';

/**
 * The worker thread that owns the SQLite connection: statements (and with them every commit's
 * fsync) run here, so the event loop keeps serving probes and requests while the disk syncs.
 * Statements run one at a time in arrival order; the driver's connection lock keeps a
 * transaction's statements together.
 */
const port = parentPort;
if (!port) throw new Error('sqlite-worker-main runs as a worker thread');
const { path, pragmas } = workerData as SqliteWorkerData;
let db: BetterSqlite3.Database;
try {
  db = new BetterSqlite3(path);
  for (const p of pragmas) db.pragma(p);
  port.postMessage({ ready: true } satisfies SqliteReady);
  // Result rows and statement garbage of a busy spell are given back when it ends (see IdleCollector).
  collectWhenIdle(systemClock, { minGrowthBytes: WORKER_MIN_GROWTH_BYTES });
} catch (err) {
  port.postMessage({ ready: false, message: err instanceof Error ? err.message : String(err) } satisfies SqliteReady);
  process.exit(1);
}

/** Prepared statements by SQL text; the stores' queries are a small fixed set. */
const statements = new Map<string, BetterSqlite3.Statement>();
const MAX_STATEMENTS = 500;

function prepare(sql: string): BetterSqlite3.Statement {
  let s = statements.get(sql);
  if (!s) {
    s = db.prepare(sql);
    if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value as string);
    statements.set(sql, s);
  }
  return s;
}

port.on('message', (req: SqliteRequest | 'close') => {
  if (req === 'close') {
    db.close();
    port.close();
    return;
  }
  let res: SqliteResponse;
  try {
    const stmt = prepare(req.sql);
    if (stmt.reader) res = { id: req.id, rows: stmt.all(req.params as unknown[]) };
    else {
      const r = stmt.run(req.params as unknown[]);
      res = { id: req.id, changes: r.changes, lastInsertRowid: r.lastInsertRowid };
    }
  } catch (err) {
    const e = err as { message?: string; code?: unknown };
    res = { id: req.id, error: { message: e.message ?? String(err), code: typeof e.code === 'string' ? e.code : undefined } };
  }
  port.postMessage(res);
});
