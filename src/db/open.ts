import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database, Dialect } from './schema.ts';
import { withStatementCache } from './statement-cache.ts';

// int8 (bigint) and numeric counts come back as strings from pg; our values stay below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL schema the tables live in, when named at open (else the connection's current_schema()). */
  schema?: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://…` for PostgreSQL, otherwise a SQLite file path (or `:memory:`). */
  url: string;
  /** PostgreSQL only: run in this schema (tests use one schema each). */
  schema?: string;
  poolSize?: number;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Opens the store named by `url`. SQLite files and their folder are created when missing. */
export function openDatabase(opts: OpenOptions): Db {
  if (isPostgresUrl(opts.url)) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect: 'postgres', schema: opts.schema, close: () => kysely.destroy() };
  }
  if (opts.url !== ':memory:') mkdirSync(dirname(opts.url), { recursive: true });
  const sqlite = new SQLite(opts.url);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { kysely, dialect: 'sqlite', close: () => kysely.destroy() };
}
