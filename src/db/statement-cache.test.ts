import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { openDatabase } from './open.ts';
import { withStatementCache } from './statement-cache.ts';

function countingDb() {
  const prepared: string[] = [];
  const db: SqliteDatabase = {
    prepare: (text: string) => {
      prepared.push(text);
      return { reader: true, all: () => [], run: () => ({ changes: 0, lastInsertRowid: 0 }), iterate: () => [][Symbol.iterator]() } as SqliteStatement;
    },
    close: () => {},
  };
  return { db, prepared };
}

describe('withStatementCache', () => {
  it('prepares each SQL text once and hands back the same statement', () => {
    const { db, prepared } = countingDb();
    const cached = withStatementCache(db);
    const a = cached.prepare('select 1');
    assert.equal(cached.prepare('select 1'), a);
    assert.notEqual(cached.prepare('select 2'), a);
    assert.deepEqual(prepared, ['select 1', 'select 2']);
  });

  it('keeps at most `max` statements, dropping the least recently used', () => {
    const { db, prepared } = countingDb();
    const cached = withStatementCache(db, 2);
    cached.prepare('a');
    cached.prepare('b');
    cached.prepare('a'); // a is now the most recent
    cached.prepare('c'); // drops b
    cached.prepare('a');
    cached.prepare('b');
    assert.deepEqual(prepared, ['a', 'b', 'c', 'b']);
  });

  it('still sees a column added after a statement was cached (SQLite re-prepares it)', async () => {
    const db = openDatabase({ url: ':memory:' });
    try {
      await sql`create table t (a integer)`.execute(db.kysely);
      await sql`insert into t (a) values (1)`.execute(db.kysely);
      const read = () => sql<Record<string, unknown>>`select * from t`.execute(db.kysely);
      assert.deepEqual((await read()).rows, [{ a: 1 }]);
      await sql`alter table t add column b text default 'x'`.execute(db.kysely);
      assert.deepEqual((await read()).rows, [{ a: 1, b: 'x' }]);
    } finally {
      await db.close();
    }
  });
});
