import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { newId } from '../shared/ids.ts';
import { findTaskRow } from '../tasks/store.ts';
import { typeIds } from '../testing/defaults.ts';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { writeStatus } from './write-status.ts';

describeEachStore('writeStatus', (store) => {
  let ctx: TestContext;
  let org: Org;
  let workTypeId: string;
  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
    workTypeId = (await typeIds(ctx, org)).work;
  });
  after(() => ctx.close());

  const newTask = async () => {
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Coffrage' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return (await findTaskRow(ctx.deps.db.kysely, org.orgId, r.body.id))!;
  };
  const history = (taskId: string) =>
    ctx.deps.db.kysely
      .selectFrom('task_history')
      .select(['id', 'from_status', 'to_status', 'user_id', 'at'])
      .where('task_id', '=', taskId)
      .orderBy('id')
      .execute();
  const change = (status: string) => {
    const at = new Date().toISOString();
    return { status, status_changed_at: at, completed_at: null, updated_by: org.userId, updated_at: at };
  };

  it('writes the status on the next version and its history row, from the status it had', async () => {
    const task = await newTask();
    const c = change('in_progress');
    const historyId = newId();
    const version = await ctx.deps.db.kysely.transaction().execute((trx) => writeStatus(trx, ctx.deps, task, c, historyId));
    assert.equal(version, task.version + 1);
    const row = (await findTaskRow(ctx.deps.db.kysely, org.orgId, task.id))!;
    assert.deepEqual([row.status, row.status_changed_at, row.updated_by, row.version], ['in_progress', c.status_changed_at, org.userId, task.version + 1]);
    assert.deepEqual((await history(task.id)).at(-1), {
      id: historyId,
      from_status: task.status,
      to_status: 'in_progress',
      user_id: org.userId,
      at: c.status_changed_at,
    });
  });

  it('refuses a version that has moved on with 409 stale_version, writing neither the status nor a history row', async () => {
    const task = await newTask();
    const before = await history(task.id);
    const stale = { ...task, version: task.version - 1 };
    // In a transaction PostgreSQL sends the write with the next statement or the COMMIT once it
    // is prepared on the connection (withNext): its own count check (CH001) fails the
    // transaction there.
    await assert.rejects(
      ctx.deps.db.kysely.transaction().execute((trx) => writeStatus(trx, ctx.deps, stale, change('in_progress'), newId())),
      (err: { code?: string }) => err.code === 'stale_version' || (store === 'postgres' && err.code === 'CH001'),
    );
    // Outside a rolled-back transaction too: the statement itself wrote nothing.
    await assert.rejects(
      writeStatus(ctx.deps.db.kysely, ctx.deps, stale, change('in_progress'), newId()),
      (err: { code?: string }) => err.code === 'stale_version',
    );
    assert.equal((await findTaskRow(ctx.deps.db.kysely, org.orgId, task.id))!.status, task.status);
    assert.deepEqual(await history(task.id), before);
  });
});
