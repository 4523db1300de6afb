import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { startCheckpointer } from './checkpointer.ts';
import { openDatabase, type Db } from './open.ts';

const run = promisify(execFile);

const until = async (ok: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !ok() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
  return ok();
};

describe('SQLite WAL checkpoints off the event loop', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'chantier-checkpoint-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("never checkpoints on the store's connection: its thread copies the WAL into the database file", async () => {
    const file = join(dir, 'store.db');
    const store: Db = openDatabase({ url: file });
    const db = store.kysely as unknown as Kysely<any>;
    try {
      const auto = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
      assert.equal(auto.rows[0].wal_autocheckpoint, 0, 'no checkpoint inside a COMMIT');
      await sql`create table pages (id integer primary key, body blob not null)`.execute(db);
      // 3 MB in 750 commits: 1,500 pages or more in the WAL, past SQLite's own 1,000-page checkpoint.
      for (let i = 0; i < 750; i++) {
        await db.transaction().execute((trx) =>
          trx
            .insertInto('pages')
            .values({ body: Buffer.alloc(4000, i % 251) })
            .execute(),
        );
      }
      // Pages reach the database file only through a checkpoint; nothing else checkpoints here.
      assert.ok(
        await until(() => statSync(file).size >= 3_000_000, 5_000),
        `database file ${statSync(file).size} bytes, WAL ${statSync(`${file}-wal`).size} bytes`,
      );
      const { rows } = await sql<{ n: number }>`select count(*) as n from pages`.execute(db);
      assert.equal(rows[0].n, 750);
    } finally {
      await store.close();
    }
  });

  it('never keeps a process alive: one that opened a store and wrote, without closing it, still ends', async () => {
    const script = join(dir, 'leaves-open.mts');
    const openTs = JSON.stringify(join(import.meta.dirname, 'open.ts'));
    writeFileSync(
      script,
      `import { openDatabase } from ${openTs};
      const store = openDatabase({ url: ${JSON.stringify(join(dir, 'left-open.db'))} });
      await store.kysely.schema.createTable('t').addColumn('v', 'text').execute();
      await store.kysely.transaction().execute((trx) => trx.insertInto('t' as never).values({ v: 'x' } as never).execute());
      console.log('written');`,
    );
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { timeout: 20_000 });
    assert.equal(stdout.trim(), 'written');
  });

  it('says when its thread fails (here: the file cannot be opened), so the store can checkpoint again itself', async () => {
    let failure: Error | undefined;
    const checkpointer = startCheckpointer(join(dir, 'missing', 'store.db'), {
      onFailure: (err) => {
        failure = err;
      },
    });
    assert.ok(await until(() => failure !== undefined, 5_000), 'told of the failure');
    assert.match(failure!.message, /unable to open|directory does not exist|stopped/i);
    await checkpointer.close();
  });
});
