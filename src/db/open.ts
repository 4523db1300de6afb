import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database, Dialect } from './schema.ts';
import { preparingPool } from './pg-prepared.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';
import { ImmediateSqliteDialect, type WalSync } from './sqlite-dialect.ts';
import { withStatementCache } from './statement-cache.ts';
import { ObservedKysely } from './transaction-context.ts';

// int8 (bigint) and numeric counts come back as strings from pg; our values stay below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface Db {
  kysely: ObservedKysely<Database>;
  dialect: Dialect;
  /** PostgreSQL schema the tables live in, when named at open (else the connection's current_schema()). */
  schema?: string;
  /**
   * PostgreSQL only: a second, small pool whose statements commit on their own, at once, outside
   * the caller's transaction: for a counter that must not stay locked until the caller commits
   * (line positions, task-content/line-store.ts). Its commits do not wait for the disk
   * (synchronous_commit off): what they count is used by a later commit of the caller's, which
   * flushes the log up to itself, so theirs first. Its statements give up on a row lock after
   * AUTONOMOUS_LOCK_TIMEOUT_MS (the caller's own transaction may hold the row): the caller then
   * does it in its transaction.
   */
  autonomous?: Kysely<Database>;
  close(): Promise<void>;
}

/**
 * Every PostgreSQL connection of ours runs without JIT compilation. Our statements are short, and
 * JIT pays off only for long queries; but PostgreSQL decides it from the plan's estimated cost,
 * and a custom plan made with stale statistics (autovacuum off, a bulk load) can cross
 * jit_above_cost: compiling then took 130-250 ms per execution of a completion's lockSource, on
 * the first executions of each new connection (issue 10, seen with log_min_duration_statement).
 * A pooler in transaction mode may not keep a session setting: set it on the role there
 * (ALTER ROLE … SET jit = off).
 */
const SESSION_SETTINGS = 'set jit = off';

/** How long a statement of Db.autonomous waits for a row lock before giving up (PostgreSQL lock_timeout). */
export const AUTONOMOUS_LOCK_TIMEOUT_MS = 100;

export interface OpenOptions {
  /** `postgres://…` for PostgreSQL, otherwise a SQLite file path (or `:memory:`). */
  url: string;
  /** PostgreSQL only: run in this schema (tests use one schema each). */
  schema?: string;
  poolSize?: number;
  /**
   * PostgreSQL only: told when a connection fails outside a query (the server restarted or went
   * away). The connection is dropped and the next query opens a new one; without this listener
   * the 'error' event would end the process.
   */
  onConnectionError?: (err: Error) => void;
  /** PostgreSQL only: seconds a connection serves before it is replaced (default 30; see openDatabase). */
  pgConnectionLifetimeSeconds?: number;
}

/** How long a SQLite write waits for another process's write lock before failing (SQLITE_BUSY). */
export const SQLITE_BUSY_TIMEOUT_MS = 15_000;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Opens the store named by `url`. SQLite files and their folder are created when missing. */
export function openDatabase(opts: OpenOptions): Db {
  if (isPostgresUrl(opts.url)) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      // An unreachable server answers 503 database_unavailable after this, not a hung request.
      connectionTimeoutMillis: 10_000,
      // A connection's prepared statements (pg-prepared.ts) keep the generic plans PostgreSQL
      // made for them, however much the tables have grown since: one made while consolidations
      // was nearly empty read every consolidation of the organization on each completion once it
      // held 90,000 (issue 10's cycle, autovacuum off so no ANALYZE ever replaced it). A
      // connection lives this long, then the next one plans again with the tables as they are.
      maxLifetimeSeconds: opts.pgConnectionLifetimeSeconds ?? 30,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    const onError = opts.onConnectionError ?? ((err: Error) => console.error(`chantier: database connection lost: ${err.message}`));
    pool.on('error', onError); // an idle connection failed
    pool.on('connect', (client) => {
      client.on('error', onError); // a checked-out one failed between queries
      // Queued before any statement of ours on this connection.
      client.query(SESSION_SETTINGS).catch(onError);
    });
    const kysely = new ObservedKysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    const side = new pg.Pool({
      connectionString: opts.url,
      max: 2,
      connectionTimeoutMillis: 10_000,
      maxLifetimeSeconds: opts.pgConnectionLifetimeSeconds ?? 30,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    side.on('error', onError);
    side.on('connect', (client) => {
      client.on('error', onError);
      // Queued before any statement of ours on this connection.
      client.query(`${SESSION_SETTINGS}; set synchronous_commit = off; set lock_timeout = ${AUTONOMOUS_LOCK_TIMEOUT_MS}`).catch(onError);
    });
    const autonomous = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(side) }) });
    return {
      kysely,
      dialect: 'postgres',
      schema: opts.schema,
      autonomous,
      close: async () => {
        await autonomous.destroy();
        await kysely.destroy();
      },
    };
  }
  if (opts.url !== ':memory:') mkdirSync(dirname(opts.url), { recursive: true });
  const sqlite = new SQLite(opts.url);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // Group commit runs every transaction after the first in a SAVEPOINT (sqlite-dialect.ts), and
  // SQLite keeps the original of each page a savepoint changes in a sub-journal: a temporary
  // file by default, written with a pwrite per page and kept until the group's COMMIT. In
  // memory it is never written out, and is emptied at each RELEASE (issue 10: 14% of a
  // completion's CPU went to those writes). Sorts and temporary indexes also stay in memory.
  sqlite.pragma('temp_store = MEMORY');
  const url = opts.url;
  const file = url !== ':memory:';
  // Durable: a commit answered 2xx survives a power loss. synchronous=NORMAL alone (in WAL mode)
  // may lose the last commits; FULL would fsync inside COMMIT, on the event loop. So COMMIT only
  // writes the WAL and the driver fsyncs it off the event loop before answering (sqlite-dialect.ts).
  sqlite.pragma(file ? 'synchronous = NORMAL' : 'synchronous = FULL');
  // Reads outside a transaction while a group commit is open (sqlite-dialect.ts) see only durable data here.
  const openReader = file ? () => withStatementCache(readOnly(url)) : undefined;
  // Checkpoints run on a thread of their own, never inside a COMMIT on the event loop (checkpointer.ts).
  const checkpointer = file ? checkpointOffTheEventLoop(sqlite, url) : undefined;
  const syncWal = file ? walSync(url, checkpointer) : undefined;
  const dialect = new ImmediateSqliteDialect(withStatementCache(sqlite), () => sqlite.inTransaction, { openReader, syncWal });
  const kysely = new ObservedKysely<Database>({ dialect });
  return { kysely, dialect: 'sqlite', close: () => kysely.destroy() };
}

/** The store's connection leaves checkpoints to a thread; should the thread fail, to SQLite again. */
function checkpointOffTheEventLoop(sqlite: SQLite.Database, file: string): Checkpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  return startCheckpointer(file, {
    onFailure(err) {
      sqlite.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
      console.error(`chantier: ${err.message}; SQLite checkpoints the WAL itself again`);
    },
  });
}

/** SQLite's own: a checkpoint in the COMMIT that takes the WAL past this many pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * The fsync of `<file>-wal`, on libuv's thread pool. The handle is opened at the first sync
 * (after a COMMIT, so the WAL exists) and kept: SQLite deletes the WAL only when the last
 * connection to the database closes, and ours stays open, so the handle always names the live
 * WAL (truncation and restarts keep the file). The folder is synced once too, so the WAL's
 * directory entry survives a power loss. Each sync also tells the checkpointer, if any, that the
 * WAL grew; closing stops it (the dialect closes this when the store is destroyed).
 */
export function walSync(dbFile: string, checkpointer?: Checkpointer): WalSync {
  let wal: Promise<FileHandle> | undefined;
  const openWal = async () => {
    const handle = await open(`${dbFile}-wal`, 'r+');
    const dir = await open(dirname(dbFile), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return handle;
  };
  return {
    async sync() {
      // Called after every COMMIT: the frames it wrote are for the checkpointer too.
      checkpointer?.committed();
      wal ??= openWal();
      try {
        await (await wal).datasync();
      } catch (err) {
        wal = undefined;
        // No WAL yet: nothing was written since the database opened (a pragma, a read), so no
        // frame waits for the disk — in WAL mode every commit goes through the WAL.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },
    async close() {
      const handle = await wal?.catch(() => undefined);
      wal = undefined;
      await handle?.close();
      await checkpointer?.close();
    },
  };
}

function readOnly(url: string): SQLite.Database {
  const reader = new SQLite(url, { readonly: true, fileMustExist: true });
  reader.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  return reader;
}
