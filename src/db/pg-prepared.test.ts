import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from './open.ts';
import { preparingPool } from './pg-prepared.ts';
import { staticQuery } from './static-query.ts';

const url = process.env.TEST_DATABASE_URL;

/** A Kysely on a preparing pool of one connection, and its round trips: the answers PostgreSQL ended with ReadyForQuery. */
function oneConnection() {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const counted = { roundTrips: 0 };
  pool.on('connect', (client) => {
    (client as unknown as { connection: pg.Connection }).connection.on('readyForQuery', () => counted.roundTrips++);
  });
  return { pool, db: new Kysely<any>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) }), counted };
}

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

  it('reads rows as pg does: every column in order, parsed by its type, a repeated name in its first place with its last value', async () => {
    for (const named of [true, false]) {
      // With a parameter the statement is named (prepared); without, it runs by the simple protocol.
      const v = named ? sql`${7}::int` : sql`7`;
      const { rows } = await sql<Record<string, unknown>>`select ${v} as n, 12345678901::int8 as big, 'é'::text as t, null::int as nothing,
        '{"k":[1,2]}'::json as j, true as yes, 2 as dup, timestamptz '2026-03-15 15:00:00+00' as at, 3 as dup, '{1,2}'::int[] as arr`.execute(db);
      assert.deepEqual(Object.keys(rows[0]), ['n', 'big', 't', 'nothing', 'j', 'yes', 'dup', 'at', 'arr']);
      assert.deepEqual(rows[0], {
        n: 7,
        big: pg.types.getTypeParser(20, 'text')('12345678901'),
        t: 'é',
        nothing: null,
        j: { k: [1, 2] },
        yes: true,
        dup: 3,
        at: new Date('2026-03-15T15:00:00Z'),
        arr: [1, 2],
      });
      assert.equal(Object.getPrototypeOf(rows[0]), Object.prototype);
    }
    const none = await sql`select 1 as one where false`.execute(db);
    assert.deepEqual(none.rows, []);
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

describe("a transaction's BEGIN goes with its first statement (PostgreSQL)", { skip: url ? false : 'TEST_DATABASE_URL is not set' }, () => {
  let pool: pg.Pool;
  let db: Kysely<any>;
  let counted: { roundTrips: number };
  before(async () => {
    ({ pool, db, counted } = oneConnection());
    await sql`create temporary table begin_probe (id int primary key, v text)`.execute(db);
  });
  after(() => db.destroy());

  const insert = (trx: Kysely<any>, id: number) =>
    trx
      .insertInto('begin_probe')
      .values({ id, v: `row ${id}` })
      .execute();
  const count = async (trx: Kysely<any>) =>
    Number(
      (
        await trx
          .selectFrom('begin_probe')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const rows = async () => (await db.selectFrom('begin_probe').select('id').orderBy('id').execute()).map((r) => r.id);

  it('saves a round trip: BEGIN with the first statement, then one per statement and the COMMIT', async () => {
    await db.transaction().execute(async (trx) => {
      await insert(trx, 1); // the first time on this connection: parsed, after its BEGIN
      await count(trx);
    });
    counted.roundTrips = 0;
    await db.transaction().execute(async (trx) => {
      await insert(trx, 2);
      assert.equal(await count(trx), 2);
    });
    assert.equal(counted.roundTrips, 3, 'BEGIN + insert, count, COMMIT');
    assert.deepEqual(await rows(), [1, 2]);
  });

  it('runs the first statement inside the transaction: a failure after it undoes it, whether or not it was parsed before', async () => {
    for (const first of [
      (trx: Kysely<any>) => insert(trx, 3),
      (trx: Kysely<any>) => sql`insert into begin_probe (id, v) values (${3}, ${'unparsed'})`.execute(trx),
    ]) {
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await first(trx);
          throw new Error('the work fails');
        }),
        /the work fails/,
      );
      assert.deepEqual(await rows(), [1, 2]);
    }
  });

  it('reports a first statement that fails, commits nothing, and leaves the connection usable', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await insert(trx, 1); // duplicate key
        await insert(trx, 4);
      }),
      /duplicate key/,
    );
    assert.deepEqual(await rows(), [1, 2]);
    assert.equal((await sql<{ s: string }>`select ${'idle'}::text as s`.execute(db)).rows[0].s, 'idle');
    const status = (pool as unknown as { _clients: { getTransactionStatus(): string }[] })._clients[0].getTransactionStatus();
    assert.equal(status, 'I', 'no transaction left open');
  });

  it('sends the BEGIN it was given (an isolation level), with a first statement with values or before one without', async () => {
    const withValues = (trx: Kysely<any>) => sql<{ l: string }>`select current_setting(${'transaction_isolation'}) as l`.execute(trx);
    const without = (trx: Kysely<any>) => sql<{ l: string }>`select current_setting('transaction_isolation') as l`.execute(trx);
    // The statement with values twice: parsed after its BEGIN the first time, with it the second.
    for (const [first, level] of [
      [without, 'serializable'],
      [withValues, 'repeatable read'],
      [withValues, 'serializable'],
    ] as const) {
      counted.roundTrips = 0;
      const got = await db
        .transaction()
        .setIsolationLevel(level)
        .execute(async (trx) => (await first(trx)).rows[0].l);
      assert.equal(got, level);
    }
    assert.equal(counted.roundTrips, 2, 'the last: BEGIN + select, COMMIT');
  });

  it('costs nothing for a transaction that sends no statement', async () => {
    counted.roundTrips = 0;
    await db.transaction().execute(async () => undefined);
    await assert.rejects(
      db.transaction().execute(async () => {
        throw new Error('nothing sent');
      }),
      /nothing sent/,
    );
    assert.equal(counted.roundTrips, 0);
  });
});

describe('a write sent with the next statement or the COMMIT (PostgreSQL, WITH_NEXT)', { skip: url ? false : 'TEST_DATABASE_URL is not set' }, () => {
  let pool: pg.Pool;
  let db: Kysely<any>;
  let counted: { roundTrips: number };
  before(async () => {
    ({ pool, db, counted } = oneConnection());
    await sql`create temporary table held_probe (id int primary key, v int not null)`.execute(db);
    // As chantier_expect_rows (migration 0019) does, in this connection's own schema.
    await sql`create function pg_temp.expect_rows(n bigint, expected bigint) returns bigint language plpgsql as $$
      begin
        if n <> expected then raise exception 'wrote % rows where it must write %', n, expected using errcode = 'CH001'; end if;
        return n;
      end $$`.execute(db);
    await db
      .insertInto('held_probe')
      .values([1, 2, 3].map((id) => ({ id, v: 0 })))
      .execute();
  });
  after(() => db.destroy());

  // The probe table is not in the app's schema.
  const any = (d: unknown) => d as Kysely<any>;
  // v + 1 on row `id` when it holds `expected`, failing by itself unless that is one row.
  const bump = staticQuery(
    (d, id: number, expected: number) =>
      any(d)
        .with('b', (w) =>
          w
            .updateTable('held_probe')
            .set((eb) => ({ v: eb('v', '+', 1) }))
            .where('id', '=', id)
            .where('v', '=', expected)
            .returning('id'),
        )
        .selectFrom('b')
        .select(sql<number>`pg_temp.expect_rows(count(*), 1)`.as('n')),
    { withNext: true },
  );
  // Row `id` takes id `to` (a duplicate key fails it).
  const move = staticQuery(
    (d, from: number, to: number) =>
      any(d)
        .with('m', (w) => w.updateTable('held_probe').set({ id: to }).where('id', '=', from).returning('id'))
        .selectFrom('m')
        .select(sql<number>`pg_temp.expect_rows(count(*), 1)`.as('n')),
    { withNext: true },
  );
  const read = staticQuery((d, id: number) => any(d).selectFrom('held_probe').select('v').where('id', '=', id));
  const values = async () => (await db.selectFrom('held_probe').select('v').orderBy('id').execute()).map((r) => r.v);
  const connectionIdle = async () => {
    assert.equal((await sql<{ s: string }>`select ${'idle'}::text as s`.execute(db)).rows[0].s, 'idle');
    const status = (pool as unknown as { _clients: { getTransactionStatus(): string }[] })._clients[0].getTransactionStatus();
    assert.equal(status, 'I', 'no transaction left open');
  };

  it('goes in the next statement’s message once parsed (run at once before), and the statement sees what it wrote', async () => {
    for (const expected of [0, 1]) {
      counted.roundTrips = 0;
      const seen = await db.transaction().execute(async (trx) => {
        const res = await bump(trx, 1, expected);
        assert.deepEqual(res.rows, expected === 0 ? [{ n: 1 }] : [], 'held the second time: answered at once, with no row');
        return (await read(trx, 1)).rows[0].v;
      });
      assert.equal(seen, expected + 1);
      // The first time each statement runs alone, and is parsed on the connection.
      if (expected === 1) assert.equal(counted.roundTrips, 2, 'BEGIN + write + read, COMMIT');
    }
    assert.deepEqual(await values(), [2, 0, 0]);
  });

  it('fails the transaction at the next statement when its own check fails: nothing is committed', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await bump(trx, 2, 0); // one row
        await bump(trx, 3, 41); // none: row 3 holds 0
        await read(trx, 2);
      }),
      (err: { code?: string }) => err.code === 'CH001',
    );
    assert.deepEqual(await values(), [2, 0, 0]);
    await connectionIdle();
  });

  it('goes in the COMMIT’s message when nothing comes after it, and a failed check there commits nothing', async () => {
    counted.roundTrips = 0;
    await db.transaction().execute(async (trx) => {
      await read(trx, 2);
      await bump(trx, 2, 0);
    });
    assert.equal(counted.roundTrips, 2, 'BEGIN + read, write + COMMIT');
    assert.deepEqual(await values(), [2, 1, 0]);
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await bump(trx, 3, 0); // one row, sent with the next statement
        await read(trx, 3);
        await bump(trx, 1, 41); // none, sent with the COMMIT
      }),
      (err: { code?: string }) => err.code === 'CH001',
    );
    assert.deepEqual(await values(), [2, 1, 0]);
    await connectionIdle();
  });

  it('is dropped by a ROLLBACK, unsent', async () => {
    counted.roundTrips = 0;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await read(trx, 1);
        await bump(trx, 1, 2);
        throw new Error('the work fails');
      }),
      /the work fails/,
    );
    assert.equal(counted.roundTrips, 2, 'BEGIN + read, ROLLBACK');
    assert.deepEqual(await values(), [2, 1, 0]);
  });

  it('reports its own error (a constraint) at the next statement, and the transaction commits nothing', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await bump(trx, 3, 0);
        await move(trx, 3, 1); // duplicate key
        await read(trx, 3);
      }),
      /duplicate key/,
    );
    assert.deepEqual(await values(), [2, 1, 0]);
    await connectionIdle();
  });

  it('runs at once outside a transaction, failing there', async () => {
    await assert.rejects(bump(db, 3, 41), (err: { code?: string }) => err.code === 'CH001');
    assert.equal((await bump(db, 3, 0)).rows[0].n, 1);
    assert.deepEqual(await values(), [2, 1, 1]);
  });
});
