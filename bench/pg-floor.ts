// PostgreSQL's own floor for a transition on this machine: what node-postgres gets from the
// server with no HTTP, no authentication and no rules, the same number of connections as the
// HTTP bench, each starting its next transaction when its last one is answered. Three shapes:
// a bare round trip; the least a transition writes (its row and a history row) as one
// statement committed on its own (one round trip, one durable commit); and the transaction a
// transition runs (BEGIN, the row locked, status + history, COMMIT), one statement a round trip,
// then in two round trips as Chantier sends it (BEGIN with the lock, the write with the COMMIT:
// here node-postgres's simple protocol, two statements a message).
// Issue 10 compares the API's transition with these (bench/run.ts, "postgres floor").
import pg from 'pg';

export interface PgFloorResult {
  shape: string;
  roundTrips: number;
  commits: number;
  ms: number;
}

const TASKS = 200;

/** A transition's least write: task `id`'s status and version, and its history row, in one statement. */
const write = (id: number): pg.QueryConfig => ({
  name: 'write',
  text: `with moved as (update t set status = $2, version = version + 1, updated_at = now() where id = $1 returning id, status)
         insert into h (task_id, status, at) select id, status, now() from moved`,
  values: [id, `s${id % 3}`],
});

/** Each shape for `ms` milliseconds on `connections` connections, in a schema of its own (dropped after). */
export async function benchPgFloor(url: string, connections: number, ms: number): Promise<PgFloorResult[]> {
  const schema = `bench_floor_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const clients: pg.Client[] = [];
  try {
    await admin.query(`create table ${schema}.t (id int primary key, status text not null, version int not null, updated_at timestamptz not null)`);
    await admin.query(`create table ${schema}.h (id bigserial primary key, task_id int not null, status text not null, at timestamptz not null)`);
    await admin.query(`insert into ${schema}.t select g, 'a', 0, now() from generate_series(1, ${TASKS}) g`);
    for (let i = 0; i < connections; i++) {
      const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      await c.connect();
      clients.push(c);
    }
    const shapes: { shape: string; roundTrips: number; run: (c: pg.Client, id: number) => Promise<unknown> }[] = [
      { shape: 'a round trip (select 1)', roundTrips: 1, run: (c) => c.query({ name: 'one', text: 'select $1::int', values: [1] }) },
      {
        shape: 'status + history row, one statement committed on its own',
        roundTrips: 1,
        run: (c, id) => c.query(write(id)),
      },
      {
        shape: 'BEGIN, lock, status + history, COMMIT',
        roundTrips: 4,
        run: async (c, id) => {
          await c.query('begin');
          await c.query({ name: 'lock', text: 'select * from t where id = $1 for update', values: [id] });
          await c.query(write(id));
          await c.query('commit');
        },
      },
      {
        shape: 'the same in two messages: BEGIN + lock, status + history + COMMIT',
        roundTrips: 2,
        run: async (c, id) => {
          await c.query(`begin; select * from t where id = ${id} for update`);
          await c.query(`with moved as (update t set status = 's${id % 3}', version = version + 1, updated_at = now() where id = ${id} returning id, status)
            insert into h (task_id, status, at) select id, status, now() from moved; commit`);
        },
      },
    ];
    const results: PgFloorResult[] = [];
    for (const { shape, roundTrips, run } of shapes) {
      let next = 0;
      let commits = 0;
      const until = performance.now() + ms;
      const t0 = performance.now();
      await Promise.all(
        clients.map(async (c) => {
          while (performance.now() < until) {
            await run(c, (next++ % TASKS) + 1);
            commits++;
          }
        }),
      );
      results.push({ shape, roundTrips, commits, ms: performance.now() - t0 });
    }
    return results;
  } finally {
    await Promise.all(clients.map((c) => c.end()));
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}
