import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from './open.ts';
import { preparingPool } from './pg-prepared.ts';

const url = process.env.TEST_DATABASE_URL;

describe('preparingPool (PostgreSQL)', { skip: url ? false : 'TEST_DATABASE_URL is not set' }, () => {
  let pool: pg.Pool;
  let db: Kysely<unknown>;
  before(() => {
    pool = new pg.Pool({ connectionString: url, max: 1 });
    db = new Kysely({ dialect: new PostgresDialect({ pool: preparingPool(pool, 3) }) });
  });
  after(() => db.destroy());

  /** The statements prepared on the pool's one connection, by text. */
  const prepared = async () => (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map((r) => r.statement);

  it('runs a statement with parameters as a named statement, parsed once on the connection, with its own values each time', async () => {
    const query = (n: number) => sql<{ x: number }>`select ${n}::int + 1 as x`.execute(db);
    assert.equal((await query(1)).rows[0].x, 2);
    assert.equal((await query(41)).rows[0].x, 42);
    const mine = (await prepared()).filter((s) => s.includes('$1::int + 1'));
    assert.equal(mine.length, 1, 'one prepared statement for both executions');
  });

  it('leaves unnamed statements without parameters and those with many (bulk inserts)', async () => {
    await sql`select 12345 as constant_only`.execute(db);
    const many = Array.from({ length: 65 }, (_, i) => i);
    const row = (await sql<{ n: number }>`select cardinality(array[${sql.join(many)}]::int[]) as n`.execute(db)).rows[0];
    assert.equal(row.n, 65);
    const texts = await prepared();
    assert.ok(!texts.some((s) => s.includes('constant_only')));
    assert.ok(!texts.some((s) => s.includes('cardinality')));
  });

  it('names at most maxNames texts in a process; the others run unnamed and still answer', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await sql<{ v: string }>`select ${'v'}::text || ${String(i)} as v, ${i}::int as ${sql.ref(`k${i}`)}`.execute(db);
      assert.equal(r.rows[0].v, `v${i}`);
    }
    assert.equal((await prepared()).length, 3, 'the cap of this pool is 3');
  });

  it('runs every store connection without JIT compilation, the second pool too (its cost once cost 130-250 ms a statement)', async () => {
    const store = openDatabase({ url: url!, poolSize: 1 });
    try {
      const jit = async (db: typeof store.kysely | NonNullable<typeof store.autonomous>) => (await sql<{ jit: string }>`show jit`.execute(db)).rows[0].jit;
      assert.equal(await jit(store.kysely), 'off');
      assert.equal(await jit(store.autonomous!), 'off');
    } finally {
      await store.close();
    }
  });

  it('replaces a store connection after its lifetime, so its prepared statements are planned again with the tables as they are', async () => {
    const store = openDatabase({ url: url!, poolSize: 1, pgConnectionLifetimeSeconds: 1 });
    const backend = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.kysely)).rows[0].pid;
    try {
      const first = await backend();
      assert.equal(await backend(), first, 'the same connection within its lifetime');
      await new Promise((r) => setTimeout(r, 1_300));
      assert.notEqual(await backend(), first);
    } finally {
      await store.close();
    }
  });
});
