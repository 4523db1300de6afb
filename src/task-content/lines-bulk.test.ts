import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ruleIds } from '../testing/defaults.ts';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { newTask } from './testkit.ts';

describeEachStore('addLines (POST /tasks/{id}/lines/bulk)', (store) => {
  let ctx: TestContext;
  let org: Org;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
  });
  after(() => ctx.close());

  const bulk = (taskId: string, body: unknown, token = org.token, headers: Record<string, string> = {}) =>
    ctx.call('POST', `/api/v1/tasks/${taskId}/lines/bulk`, token, body, headers);
  const linesOf = async (taskId: string) => (await ctx.call('GET', `/api/v1/tasks/${taskId}/lines?limit=500`, org.token)).body.items as any[];
  const line = (i: number) => ({ description: `Ligne ${i}`, quantity: '0.333', unitPriceCents: 3 + i });

  it('appends the lines in order after the existing ones, amounts exact, as one-by-one adds them', async () => {
    const task = await newTask(ctx, org);
    await ctx.call('POST', `/api/v1/tasks/${task.id}/lines`, org.token, { description: 'First', quantity: '1', unitPriceCents: 100 });
    const r = await bulk(task.id, [
      line(0),
      line(1),
      { description: 'Pipe', quantity: 1.005, unitPriceCents: 199, unit: 'm', taxTreatment: 'exempt', productCode: 'P-1' },
    ]);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.count, 3);
    assert.deepEqual(
      r.body.items.map((l: any) => l.position),
      [2, 3, 4],
    );
    assert.deepEqual(
      (await linesOf(task.id)).map((l) => [l.position, l.description, l.quantity, l.amountCents, l.unit, l.taxTreatment, l.productCode]),
      [
        [1, 'First', '1', 100, null, 'taxable', null],
        [2, 'Ligne 0', '0.333', 1, null, 'taxable', null],
        [3, 'Ligne 1', '0.333', 1, null, 'taxable', null],
        [4, 'Pipe', '1.005', 200, 'm', 'exempt', 'P-1'],
      ],
    );
    const nd = await bulk(task.id, `${JSON.stringify(line(5))}\n${JSON.stringify(line(6))}`, org.token, { 'content-type': 'application/x-ndjson' });
    assert.equal(nd.status, 201, JSON.stringify(nd.body));
    assert.deepEqual(
      nd.body.items.map((l: any) => l.position),
      [5, 6],
    );
  });

  it('refuses all the lines when one is invalid, naming it, and writes nothing', async () => {
    const task = await newTask(ctx, org);
    const lines = Array.from({ length: 5 }, (_, i) => line(i));
    const bad = await bulk(
      task.id,
      lines.map((l, i) => (i === 3 ? { ...l, quantity: '1.0001' } : l)),
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_quantity');
    assert.equal(bad.body.error.details.field, '3.quantity');
    const price = await bulk(
      task.id,
      lines.map((l, i) => (i === 4 ? { ...l, unitPriceCents: -1 } : l)),
    );
    assert.equal(price.body.error.details.field, '4.unitPriceCents');
    assert.deepEqual(await linesOf(task.id), []);
  });

  it('refuses lines on a task that is done, consolidated or cancelled (409 task_closed), as one-by-one does', async () => {
    assert.equal((await ctx.call('POST', `/api/v1/automations/${(await ruleIds(ctx, org)).byProject}/enable`, org.token)).status, 200);
    const main = await newTask(ctx, org, { title: 'Projet' });
    const sub = await newTask(ctx, org, { parentId: main.id });
    await bulk(sub.id, [line(1)]);
    assert.equal((await ctx.call('POST', `/api/v1/tasks/${sub.id}/transitions`, org.token, { to: 'completed' })).status, 200);
    assert.equal((await linesOf(main.id)).length, 1, 'consolidated into the main task');
    const r = await bulk(sub.id, [line(2)]);
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'task_closed');
    const cancelled = await newTask(ctx, org);
    await ctx.call('POST', `/api/v1/tasks/${cancelled.id}/transitions`, org.token, { to: 'cancelled' });
    assert.equal((await bulk(cancelled.id, [line(1)])).body.error.code, 'task_closed');
    assert.equal((await linesOf(sub.id)).length, 1);
  });

  it('lets a technician add lines to an assigned task only', async () => {
    const tech = await ctx.addUser(org, 'technician');
    const mine = await newTask(ctx, org, { assigneeIds: [tech.userId] });
    const other = await newTask(ctx, org);
    assert.equal((await bulk(mine.id, [line(1)], tech.token)).status, 201);
    assert.equal((await bulk(other.id, [line(1)], tech.token)).status, 404);
  });
});
