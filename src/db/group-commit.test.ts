import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql, type SqliteDatabase, type Transaction } from 'kysely';
import { afterCommit, announcingAfterCommit } from '../shared/after-commit.ts';
import { ImmediateSqliteDialect, WalSyncError, type GroupCommitOptions, type WalSync } from './sqlite-dialect.ts';
import { ObservedKysely, observeTransactions } from './transaction-context.ts';

interface T {
  t: { id: number; v: string };
}

const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

/** The store as open.ts makes it, on a file, with every statement that reaches SQLite recorded. */
function openSpied(file: string, options: GroupCommitOptions & { reader?: boolean } = {}) {
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  const ran: string[] = [];
  const onReader: string[] = [];
  const failNext: { commit?: Error } = {};
  const spy = (db: SQLite.Database, log: string[]): SqliteDatabase => ({
    prepare(text) {
      const stmt = db.prepare(text);
      return {
        reader: stmt.reader,
        readonly: stmt.readonly,
        all: (p) => {
          log.push(text);
          return stmt.all(...p);
        },
        iterate: (p) => {
          log.push(text);
          return stmt.iterate(...p);
        },
        run: (p) => {
          log.push(text);
          if (text === 'commit' && failNext.commit) {
            const fail = failNext.commit;
            failNext.commit = undefined;
            throw fail; // as if the disk refused the COMMIT: the transaction is still open
          }
          return stmt.run(...p);
        },
      } as ReturnType<SqliteDatabase['prepare']>;
    },
    close: () => db.close(),
  });
  const openReader = options.reader === false ? undefined : () => spy(new SQLite(file, { readonly: true }), onReader);
  const dialect = new ImmediateSqliteDialect(spy(raw, ran), () => raw.inTransaction, { maxOpenMs: 60_000, ...options, openReader });
  const kysely = new ObservedKysely<T>({ dialect });
  return { kysely, ran, onReader, failNext, commits: () => ran.filter((s) => s === 'commit').length };
}

describe('SQLite group commit', () => {
  let dir: string;
  let file: string;
  let disk: SQLite.Database;
  let store: ReturnType<typeof openSpied>;

  /** Whether row `id` is on disk: read by another connection, which sees only committed data. */
  const onDisk = (id: number) => (disk.prepare('select count(*) as n from t where id = ?').get(id) as { n: number }).n === 1;
  const rowsOnDisk = () => (disk.prepare('select id from t order by id').all() as { id: number }[]).map((r) => r.id);
  const insert = (trx: Transaction<T>, id: number) =>
    trx
      .insertInto('t')
      .values({ id, v: `row ${id}` })
      .execute();
  const nextTurn = () => new Promise((r) => setImmediate(r));

  /**
   * Starts `count` transactions at once; the first holds the connection until every other one
   * waits for it, so they all meet the first one's commit (what many HTTP requests in flight do).
   */
  const concurrently = (count: number, work: (trx: Transaction<T>, i: number) => Promise<unknown>) =>
    Promise.allSettled(
      Array.from({ length: count }, (_, i) =>
        store.kysely.transaction().execute(async (trx) => {
          if (i === 0) await nextTurn();
          await work(trx, i);
        }),
      ),
    );

  const setUp = (options?: Parameters<typeof openSpied>[1]) => {
    store = openSpied(file, options);
    store.ran.length = 0;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chantier-group-commit-'));
    file = join(dir, 'gc.db');
    const init = new SQLite(file);
    init.pragma('journal_mode = WAL');
    init.exec('create table t (id integer primary key, v text not null)');
    init.close();
    disk = new SQLite(file, { readonly: true });
    setUp();
  });

  afterEach(async () => {
    await store.kysely.destroy();
    disk.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits transactions that wait for the connection in one COMMIT, every row on disk', async () => {
    const results = await concurrently(40, (trx, i) => insert(trx, i));
    assert.deepEqual(
      results.map((r) => r.status),
      Array(40).fill('fulfilled'),
    );
    assert.equal(store.commits(), 1, 'one COMMIT (one fsync) for 40 transactions');
    assert.equal(store.ran.filter((s) => s === 'begin immediate').length, 1);
    assert.equal(rowsOnDisk().length, 40);
  });

  it('commits in one COMMIT transactions started by separate callbacks of one event-loop turn, as HTTP requests are', async () => {
    // better-sqlite3 is synchronous: each of these runs BEGIN … its work without yielding, so
    // none ever waits for the connection; the group stays open until the turn ends.
    const done = await Promise.all(
      Array.from({ length: 10 }, (_, i) => new Promise((resolve) => setTimeout(() => resolve(store.kysely.transaction().execute((trx) => insert(trx, i))), 0))),
    );
    assert.equal(done.length, 10);
    assert.ok(store.commits() <= 2, `${store.commits()} COMMITs for 10 transactions`);
    assert.equal(rowsOnDisk().length, 10);
  });

  it('commits alone, BEGIN IMMEDIATE … COMMIT, a transaction no one waits behind', async () => {
    for (let i = 0; i < 3; i++) await store.kysely.transaction().execute((trx) => insert(trx, i));
    assert.equal(store.commits(), 3);
    assert.ok(!store.ran.some((s) => s.startsWith('savepoint')), store.ran.join('\n'));
  });

  it('bounds a group by its number of members', async () => {
    setUp({ maxMembers: 4 });
    await concurrently(10, (trx, i) => insert(trx, i));
    assert.equal(store.commits(), 3, '4 + 4 + 2');
    assert.equal(rowsOnDisk().length, 10);
  });

  it('resolves no member, and runs no after-commit work, before the COMMIT that holds its rows', async () => {
    const seen: string[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        announcingAfterCommit(() =>
          observeTransactions(
            {
              replayed: () => undefined,
              // the idempotency outcome's shape: a row written just before COMMIT
              beforeCommit: async (trx) => void (await insert(trx as Transaction<T>, 1000 + i)),
              afterCommit: () => seen.push(`observer ${i} ${onDisk(i) && onDisk(1000 + i)}`),
            },
            async () => {
              await store.kysely.transaction().execute(async (trx) => {
                if (i === 0) await nextTurn();
                await insert(trx, i);
                afterCommit(() => seen.push(`after-commit ${i} ${onDisk(i)}`));
              });
              seen.push(`resolved ${i} ${onDisk(i) && onDisk(1000 + i)}`);
            },
          ),
        ),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array(12).fill('fulfilled'),
    );
    assert.ok(store.commits() < 12, `grouped: ${store.commits()} COMMITs`);
    assert.equal(seen.length, 36);
    assert.deepEqual(
      seen.filter((s) => !s.endsWith('true')),
      [],
      'everything said after commit saw its rows on disk',
    );
  });

  it('rolls a failing member back to its own savepoint: its rows are gone, the others’ are on disk', async () => {
    const results = await concurrently(10, async (trx, i) => {
      await insert(trx, i);
      if (i === 3) throw new Error('member 3 gives up');
      if (i === 5) await insert(trx, 0); // unique violation after its own insert
      if (i === 7) await insert(trx, 100 + i);
    });
    assert.equal(store.commits(), 1);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.match(String((results[3] as PromiseRejectedResult).reason), /member 3 gives up/);
    assert.equal((results[5] as PromiseRejectedResult).reason.code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
    assert.deepEqual(rowsOnDisk(), [0, 1, 2, 4, 6, 7, 8, 9, 107]);
  });

  it('answers a failing member only once the writes it read are on disk, and with the COMMIT’s error when they never are', async () => {
    const member = () =>
      store.kysely.transaction().execute(async (trx) => {
        const seen = await trx.selectFrom('t').select('id').where('id', '=', 1).executeTakeFirst();
        if (seen) throw new Error('conflict: row 1 exists');
      });
    const outcome = async (failCommit: boolean) => {
      store.failNext.commit = failCommit ? sqliteError('SQLITE_IOERR_WRITE', 'disk I/O error') : undefined;
      const [, failing] = await Promise.allSettled([
        store.kysely.transaction().execute(async (trx) => {
          await nextTurn();
          await insert(trx, 1);
        }),
        member().catch((err: Error) => ({ err, rowOnDisk: onDisk(1) })),
      ]);
      return (failing as PromiseFulfilledResult<{ err: Error & { code?: string }; rowOnDisk: boolean }>).value;
    };
    const lost = await outcome(true);
    assert.equal(lost.err.code, 'SQLITE_IOERR_WRITE', 'not "conflict": the row it saw was never committed');
    assert.equal(lost.rowOnDisk, false);
    const kept = await outcome(false);
    assert.match(kept.err.message, /conflict/);
    assert.equal(kept.rowOnDisk, true, 'answered after the COMMIT of the row it saw');
  });

  it('rejects every member of a group whose COMMIT fails, leaves none of their rows, and commits again afterwards', async () => {
    store.failNext.commit = sqliteError('SQLITE_IOERR_WRITE', 'disk I/O error');
    const results = await concurrently(8, (trx, i) => insert(trx, i));
    assert.equal(store.commits(), 1);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.equal((r as PromiseRejectedResult).reason.code, 'SQLITE_IOERR_WRITE', 'each member gets the real cause');
    }
    assert.deepEqual(rowsOnDisk(), []);
    await store.kysely.transaction().execute((trx) => insert(trx, 99));
    assert.deepEqual(rowsOnDisk(), [99]);
  });

  it('answers each member of a group hit by SQLITE_FULL only if its rows are on disk', async () => {
    const pages = (disk.prepare('pragma page_count').get() as { page_count: number }).page_count;
    await sql.raw(`pragma max_page_count = ${pages + 2}`).execute(store.kysely);
    const results = await concurrently(10, async (trx, i) => {
      await trx
        .insertInto('t')
        .values({ id: i, v: i === 4 ? 'x'.repeat(200_000) : 'small' })
        .execute();
    });
    assert.equal((results[4] as PromiseRejectedResult).reason?.code, 'SQLITE_FULL');
    // SQLite rolls the whole transaction back on SQLITE_FULL: the members before 4 lost their rows too
    assert.equal((results[0] as PromiseRejectedResult).reason?.code, 'SQLITE_FULL');
    results.forEach((r, i) => {
      assert.equal(r.status === 'fulfilled', onDisk(i), `member ${i}: ${r.status}`);
    });
    await sql.raw('pragma max_page_count = 1073741823').execute(store.kysely);
    await store.kysely.transaction().execute((trx) => insert(trx, 99));
    assert.ok(onDisk(99), 'works again once there is room');
  });

  it('reads outside a transaction while a group is open from the read-only connection, seeing only committed rows', async () => {
    const [, read] = await Promise.all([
      store.kysely.transaction().execute(async (trx) => {
        await nextTurn();
        await insert(trx, 1);
      }),
      store.kysely
        .selectFrom('t')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      store.kysely.transaction().execute((trx) => insert(trx, 2)),
    ]);
    assert.equal(read.n, 0, 'the first transaction was not committed yet: its row is not seen');
    assert.equal(store.onReader.length, 1);
    assert.equal(store.commits(), 1, 'and the read did not end the group');
    assert.deepEqual(rowsOnDisk(), [1, 2]);
  });

  it('commits the group before a read outside a transaction when there is no read-only connection (:memory:)', async () => {
    setUp({ reader: false });
    const [, read] = await Promise.all([
      store.kysely.transaction().execute(async (trx) => {
        await nextTurn();
        await insert(trx, 1);
      }),
      store.kysely
        .selectFrom('t')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      store.kysely.transaction().execute((trx) => insert(trx, 2)),
    ]);
    assert.equal(read.n, 1, 'the read ran after the COMMIT of the first transaction');
    assert.equal(store.commits(), 2);
  });

  it('commits the group before a write outside a transaction, which must not be answered before its own COMMIT', async () => {
    let firstOnDiskAtWrite: boolean | undefined;
    await Promise.all([
      store.kysely.transaction().execute(async (trx) => {
        await nextTurn();
        await insert(trx, 1);
      }),
      store.kysely
        .insertInto('t')
        .values({ id: 2, v: 'plain' })
        .execute()
        .then(() => {
          firstOnDiskAtWrite = onDisk(1) && onDisk(2);
        }),
      store.kysely.transaction().execute((trx) => insert(trx, 3)),
    ]);
    assert.equal(firstOnDiskAtWrite, true);
    assert.equal(store.commits(), 2, "the first transaction's group, then the third alone (the plain write autocommits)");
    assert.deepEqual(rowsOnDisk(), [1, 2, 3]);
  });

  describe('with the WAL synced off the event loop (synchronous=NORMAL, as open.ts opens a file)', () => {
    /** A WAL sync that finishes only when the test says so. */
    let syncs: { resolve(): void; reject(err: Error): void }[];
    const gated: WalSync = {
      sync: () => new Promise<void>((resolve, reject) => syncs.push({ resolve, reject })),
      close: async () => {},
    };
    /** Whether `promise` has settled, read without waiting for it. */
    const watch = <V>(promise: Promise<V>) => {
      const state = { settled: false, promise };
      promise.then(
        () => (state.settled = true),
        () => (state.settled = true),
      );
      return state;
    };
    const turns = async (n = 5) => {
      for (let i = 0; i < n; i++) await nextTurn();
    };
    const count = () =>
      store.kysely
        .selectFrom('t')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();

    beforeEach(async () => {
      await store.kysely.destroy();
      syncs = [];
      setUp({ syncWal: gated });
    });

    it('answers a transaction only once the WAL sync that follows its COMMIT is over', async () => {
      const first = watch(store.kysely.transaction().execute((trx) => insert(trx, 1)));
      await turns();
      assert.equal(store.commits(), 1);
      assert.equal(syncs.length, 1, 'one sync, started after the COMMIT');
      assert.equal(first.settled, false, 'committed but not yet durable: not answered');
      syncs[0].resolve();
      await first.promise;
      assert.ok(onDisk(1));
    });

    it('keeps the next group open while a sync is in flight, then commits it and syncs again', async () => {
      const first = watch(store.kysely.transaction().execute((trx) => insert(trx, 1)));
      await turns();
      const next = [2, 3, 4].map((id) => watch(store.kysely.transaction().execute((trx) => insert(trx, id))));
      await turns();
      assert.equal(store.commits(), 1, 'no second COMMIT while the first is not durable');
      assert.deepEqual(rowsOnDisk(), [1]);
      syncs[0].resolve();
      await first.promise;
      await turns();
      assert.equal(store.commits(), 2, 'the three waiting transactions in one COMMIT');
      assert.equal(syncs.length, 2);
      assert.ok(
        next.every((t) => !t.settled),
        'not answered before their own sync',
      );
      syncs[1].resolve();
      await Promise.all(next.map((t) => t.promise));
      assert.deepEqual(rowsOnDisk(), [1, 2, 3, 4]);
    });

    it('makes a read outside a transaction wait for the sync in flight, so it never sees what a power loss could undo', async () => {
      const first = watch(store.kysely.transaction().execute((trx) => insert(trx, 1)));
      await turns();
      const read = watch(count());
      await turns();
      assert.equal(read.settled, false, 'row 1 is committed, not yet durable: the read waits');
      syncs[0].resolve();
      assert.equal((await read.promise).n, 1);
      await first.promise;
    });

    it('answers a write outside a transaction after a sync that covers it', async () => {
      const write = watch(store.kysely.insertInto('t').values({ id: 7, v: 'plain' }).execute());
      await turns();
      assert.ok(onDisk(7), 'autocommitted');
      assert.equal(syncs.length, 1);
      assert.equal(write.settled, false);
      syncs[0].resolve();
      await write.promise;
    });

    it('rejects, after a failed sync, the members waiting for it and the next group, and then refuses all work', async () => {
      const first = watch(store.kysely.transaction().execute((trx) => insert(trx, 1)));
      await turns();
      const second = watch(store.kysely.transaction().execute((trx) => insert(trx, 2)));
      await turns();
      syncs[0].reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
      await assert.rejects(first.promise, WalSyncError);
      await assert.rejects(second.promise, WalSyncError);
      assert.equal(onDisk(2), false, "the next group's transaction is rolled back, never committed");
      await assert.rejects(
        store.kysely.transaction().execute((trx) => insert(trx, 3)),
        WalSyncError,
      );
      await assert.rejects(count(), WalSyncError);
      assert.equal(store.commits(), 1);
    });
  });
});
