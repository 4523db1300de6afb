import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Reuses SQLite prepared statements by SQL text (least recently used beyond `max`). Kysely
 * prepares every query afresh, and SQLite's parse-and-plan was a fifth of the server's CPU
 * time in the transition benchmark. Safe because Kysely runs one query at a time on the
 * connection, and SQLite re-prepares a statement by itself after a schema change.
 */
export function withStatementCache(db: SqliteDatabase, max = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql); // re-inserted below: the Map's order is the recency order
      } else {
        stmt = db.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
    close() {
      cache.clear();
      db.close();
    },
  };
}
