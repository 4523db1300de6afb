import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { preparingPool } from './pg-prepared.ts';
import { staticQuery } from './static-query.ts';

interface T {
  with_commit_probe: { id: string; v: string | null; n: number | null };
}

// A write nobody reads the result of: sent with the COMMIT on PostgreSQL (staticQuery's withCommit).
const write = staticQuery((db, id: string, v: string | null, n: number | null) => db.insertInto('with_commit_probe' as never).values({ id, v, n } as never), {
  withCommit: true,
});
const probe = (db: Kysely<any>) => db.selectFrom('with_commit_probe').selectAll().orderBy('id').execute();

describeEachStore('a write sent with the COMMIT (staticQuery withCommit)', (store) => {
  let ctx: TestContext;
  /** Every message text a pg client sent (PostgreSQL), from the pool this test's Kysely uses. */
  const sent: string[] = [];
  let db: Kysely<any>;
  let pool: pg.Pool | undefined;
  before(async () => {
    ctx = await testContext(store);
    if (store === 'postgres') {
      // A pool of one connection in the test's schema, each query's text recorded as pg sends it.
      const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(ctx.deps.db.kysely)).rows[0].s;
      pool = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 1, options: `-c search_path=${schema}` });
      pool.on('connect', (client) => {
        const query = client.query.bind(client) as (...a: unknown[]) => unknown;
        (client as unknown as { query: unknown }).query = (config: unknown, values?: unknown) => {
          sent.push(typeof config === 'string' ? config : (config as { text: string }).text);
          return query(config, values);
        };
      });
      db = new Kysely<T>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    } else {
      db = ctx.deps.db.kysely as unknown as Kysely<any>;
    }
    await sql`create table with_commit_probe (id text primary key, v text, n double precision)`.execute(db);
  });
  after(async () => {
    if (pool) await db.destroy();
    await ctx.close();
  });

  it('commits with the transaction, its values as given (quotes, backslashes, $1, line breaks, accents, null, decimals)', async () => {
    const tricky = `l'été \\ "guillemets" $1 $2\nligne 2 — €`;
    sent.length = 0;
    await db.transaction().execute(async (trx) => {
      await write(trx, 'a', tricky, 0.125);
      await write(trx, 'b', null, -3);
    });
    const messages = [...sent];
    assert.deepEqual(await probe(db), [
      { id: 'a', v: tricky, n: 0.125 },
      { id: 'b', v: null, n: -3 },
    ]);
    if (store === 'postgres') {
      // One message: the BEGIN (held for the first statement, pg-prepared.ts), both writes and the
      // COMMIT, which carries the others (their values bound as parameters).
      assert.deepEqual(messages, ['commit']);
    }
  });

  it('is undone with the transaction when the work fails after it, and never reaches a later transaction', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await write(trx, 'rolled-back', 'x', 1);
        throw new Error('the work fails');
      }),
      /the work fails/,
    );
    await db.transaction().execute(async (trx) => {
      await write(trx, 'c', 'y', 2);
    });
    const ids = (await probe(db)).map((r) => r.id);
    assert.ok(!ids.includes('rolled-back'));
    assert.ok(ids.includes('c'));
  });

  it('fails the transaction when it fails itself: nothing of the transaction stays, and the connection serves the next one', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('with_commit_probe').values({ id: 'with-the-failed', v: null, n: null }).execute();
        await write(trx, 'a', 'duplicate key', 0); // 'a' exists: the unique key refuses it
      }),
      /unique|UNIQUE/,
    );
    const ids = (await probe(db)).map((r) => r.id);
    assert.ok(!ids.includes('with-the-failed'), 'the statement before it was rolled back with it');
    await db.transaction().execute(async (trx) => {
      await write(trx, 'd', 'after', 3);
    });
    assert.ok((await probe(db)).some((r) => r.id === 'd'));
  });

  it('runs at once outside a transaction', async () => {
    await write(db, 'e', 'alone', 4);
    assert.ok((await probe(db)).some((r) => r.id === 'e'));
  });
});
