import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { sharedStore, TEST_PASSWORD } from '../testing/harness.ts';
import { openDatabase } from './open.ts';

describe('SQLite durability', () => {
  it('commits durably by default: an answered write was fsynced to the WAL first, off the event loop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chantier-durable-'));
    const db = openDatabase({ url: join(dir, 'chantier.db') });
    const probe = await open(join(dir, 'probe'), 'w');
    const FileHandle = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
    await probe.close();
    const realDatasync = FileHandle.datasync;
    const held: (() => void)[] = [];
    try {
      const mode = (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db.kysely)).rows[0].journal_mode;
      const sync = (await sql<{ synchronous: number }>`pragma synchronous`.execute(db.kysely)).rows[0].synchronous;
      assert.equal(mode, 'wal');
      assert.equal(sync, 1, 'synchronous=NORMAL: COMMIT does not fsync on the event loop…');
      const temp = (await sql<{ temp_store: number }>`pragma temp_store`.execute(db.kysely)).rows[0].temp_store;
      assert.equal(temp, 2, "temp_store=MEMORY: a group member's savepoint journal is never written to a temporary file");
      await sql`create table t (v text)`.execute(db.kysely);
      // From here, every fdatasync that node's file handles run is held until the test lets it finish.
      FileHandle.datasync = function (this: unknown) {
        return new Promise<void>((resolve, reject) => held.push(() => realDatasync.call(this).then(resolve, reject)));
      };
      let answered = false;
      const write = db.kysely
        .transaction()
        .execute((trx) =>
          trx
            .insertInto('t' as never)
            .values({ v: 'x' } as never)
            .execute(),
        )
        .then(() => (answered = true));
      for (let i = 0; i < 20 && held.length === 0; i++) await new Promise((r) => setImmediate(r));
      assert.equal(held.length, 1, '…the driver fsyncs the WAL after the COMMIT…');
      assert.equal(answered, false, '…and answers only once that fsync is over');
      held.shift()!();
      await write;
    } finally {
      FileHandle.datasync = realDatasync;
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 503 storage_sync_failed when the WAL fsync fails, and refuses all work after it until restarted', async () => {
    const shared = await sharedStore('sqlite', 'wal-sync');
    const probe = await open(join(shared.dir, 'probe'), 'w');
    const FileHandle = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
    await probe.close();
    const realDatasync = FileHandle.datasync;
    try {
      const { token } = await shared.call('POST', '/signup', { orgName: 'Sync', name: 'A', email: 'a@sync.test', password: TEST_PASSWORD });
      const types = (await shared.call('GET', '/task-types', undefined, token)).items as { id: string; key: string }[];
      const task = await shared.call('POST', '/tasks', { typeId: types[0].id, title: 'Fouille' }, token);
      FileHandle.datasync = () => Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
      await assert.rejects(shared.call('POST', `/tasks/${task.id}/transitions`, { to: 'scheduled' }, token), /: 503 .*storage_sync_failed/);
      FileHandle.datasync = realDatasync;
      await assert.rejects(shared.call('GET', `/tasks/${task.id}`, undefined, token), /: 503 .*storage_sync_failed/, 'even once the disk answers again');
    } finally {
      FileHandle.datasync = realDatasync;
      await shared.closeApp();
      await shared.close().catch(() => {});
    }
  });
});
