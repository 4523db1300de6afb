import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import type { Executor } from '../db/index.ts';
import type { BlobStore } from '../files/blob-store.ts';
import { upload } from '../task-content/testkit.ts';
import { typeIds } from '../testing/defaults.ts';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';

const errno = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}`), { code, syscall: 'write' });

describeEachStore('storage failures', (store) => {
  let ctx: TestContext;
  let org: Org;
  let workTypeId: string;
  const logged: string[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logged.push(String(chunk));
        done();
      },
    });
    ctx = await testContext(store, { log: pino({ level: 'error' }, sink) });
    org = await ctx.signup();
    workTypeId = (await typeIds(ctx, org)).work;
  });
  after(() => ctx.close());

  const newTask = async (title: string) => (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title })).body;
  const failingBlobs = (err: Error): BlobStore => ({ ...ctx.deps.blobs, put: async () => Promise.reject(err) });
  const withBlobs = async <T>(blobs: BlobStore, run: () => Promise<T>): Promise<T> => {
    const real = ctx.deps.blobs;
    ctx.deps.blobs = blobs;
    try {
      return await run();
    } finally {
      ctx.deps.blobs = real;
    }
  };
  const attachmentsOf = async (id: string) => (await ctx.call('GET', `/api/v1/tasks/${id}/attachments`, org.token)).body.items.length;

  it('answers 507 insufficient_storage when the files folder is full (ENOSPC), logging the cause', async () => {
    const task = await newTask('Full disk');
    const r = await withBlobs(failingBlobs(errno('ENOSPC', 'no space left on device, write')), () =>
      upload(ctx, org.token, task.id, 'bon.txt', Buffer.from('bon de travail')),
    );
    assert.equal(r.status, 507, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'insufficient_storage');
    assert.equal(await attachmentsOf(task.id), 0);
    assert.ok(
      logged.some((l) => l.includes('ENOSPC') && l.includes('no space left on device')),
      'the log names the real cause',
    );
  });

  it('answers 503 storage_read_only when the files folder is read-only (EROFS)', async () => {
    const task = await newTask('Read-only disk');
    const r = await withBlobs(failingBlobs(errno('EROFS', 'read-only file system, open')), () =>
      upload(ctx, org.token, task.id, 'bon.txt', Buffer.from('bon')),
    );
    assert.equal(r.status, 503);
    assert.equal(r.body.error.code, 'storage_read_only');
  });

  it('answers 507 when the database reports a full disk in a transaction, and rolls the work back', async () => {
    const task = await newTask('Database full');
    const full =
      store === 'sqlite'
        ? Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
        : Object.assign(new Error('could not extend file'), { code: '53100' });
    const hook = async (trx: Executor) => {
      await trx
        .insertInto('task_history')
        .values({ id: 'x', org_id: org.orgId, task_id: task.id, from_status: null, to_status: 'x', user_id: null, at: 'x' })
        .execute();
      throw full;
    };
    ctx.deps.transitionHooks.push(hook);
    try {
      const r = await ctx.call('POST', `/api/v1/tasks/${task.id}/transitions`, org.token, { to: 'completed' });
      assert.equal(r.status, 507, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'insufficient_storage');
    } finally {
      ctx.deps.transitionHooks.splice(ctx.deps.transitionHooks.indexOf(hook), 1);
    }
    const h = await ctx.call('GET', `/api/v1/tasks/${task.id}/history`, org.token);
    assert.equal(h.body.items.length, 1, 'nothing half-written');
  });

  if (store === 'sqlite') {
    it('logs SQLite’s real SQLITE_FULL, not "cannot rollback - no transaction is active", and recovers once there is room', async () => {
      const task = await newTask('Really full');
      const pages = (await sql<{ page_count: number }>`pragma page_count`.execute(ctx.deps.db.kysely)).rows[0].page_count;
      await sql.raw(`pragma max_page_count = ${pages}`).execute(ctx.deps.db.kysely);
      logged.length = 0;
      let status = 0;
      let body: any;
      try {
        for (let i = 0; i < 40 && status !== 507; i++) {
          const r = await ctx.call('POST', `/api/v1/tasks/${task.id}/lines`, org.token, {
            description: `ligne ${i} ${'x'.repeat(400)}`,
            quantity: '1',
            unitPriceCents: 100,
          });
          status = r.status;
          body = r.body;
          assert.ok(r.status === 201 || r.status === 507, `answer ${r.status}: ${JSON.stringify(r.body)}`);
        }
      } finally {
        await sql.raw('pragma max_page_count = 1073741823').execute(ctx.deps.db.kysely);
      }
      assert.equal(status, 507);
      assert.equal(body.error.code, 'insufficient_storage');
      const log = logged.join('');
      assert.ok(log.includes('SQLITE_FULL'), log);
      assert.ok(!log.includes('cannot rollback'), log);
      const again = await ctx.call('POST', `/api/v1/tasks/${task.id}/lines`, org.token, { description: 'après', quantity: '1', unitPriceCents: 100 });
      assert.equal(again.status, 201, 'the same process works again once there is room');
    });
  }
});
