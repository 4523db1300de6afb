import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { newTask } from './testkit.ts';

describeEachStore('task notes', (store) => {
  let ctx: TestContext;
  let org: Org;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
  });
  after(() => ctx.close());

  it('appends notes and lists them oldest first, page by page', async () => {
    const task = await newTask(ctx, org);
    for (const body of ['Arrived on site', 'Pipe cracked — replacing', 'Done, client signed']) {
      const r = await ctx.call('POST', `/api/v1/tasks/${task.id}/notes`, org.token, { body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.authorId, org.userId);
      assert.equal(r.body.body, body);
    }
    const first = await ctx.call('GET', `/api/v1/tasks/${task.id}/notes?limit=2`, org.token);
    assert.deepEqual(
      first.body.items.map((n: { body: string }) => n.body),
      ['Arrived on site', 'Pipe cracked — replacing'],
    );
    const rest = await ctx.call('GET', `/api/v1/tasks/${task.id}/notes?limit=2&cursor=${first.body.nextCursor}`, org.token);
    assert.deepEqual(
      rest.body.items.map((n: { body: string }) => n.body),
      ['Done, client signed'],
    );
    assert.equal(rest.body.nextCursor, null);
  });

  it('has no way to edit or delete a note', async () => {
    const task = await newTask(ctx, org);
    const note = (await ctx.call('POST', `/api/v1/tasks/${task.id}/notes`, org.token, { body: 'Original' })).body;
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      const r = await ctx.call(method, `/api/v1/tasks/${task.id}/notes/${note.id}`, org.token, method === 'DELETE' ? undefined : { body: 'Rewritten' });
      assert.equal(r.status, 404, method);
    }
    const list = await ctx.call('GET', `/api/v1/tasks/${task.id}/notes`, org.token);
    assert.deepEqual(
      list.body.items.map((n: { body: string }) => n.body),
      ['Original'],
    );
  });

  it('refuses empty, blank, oversized or unknown-field notes and writes nothing', async () => {
    const task = await newTask(ctx, org);
    for (const body of [{ body: '' }, { body: ' \n\t ' }, { body: 'x'.repeat(10_001) }, { body: 'ok', authorId: org.userId }, {}]) {
      const r = await ctx.call('POST', `/api/v1/tasks/${task.id}/notes`, org.token, body);
      assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(r.body.error.code, 'validation_failed');
    }
    assert.equal((await ctx.call('POST', `/api/v1/tasks/${task.id}/notes`, org.token, { body: 'x'.repeat(10_000) })).status, 201);
    const list = await ctx.call('GET', `/api/v1/tasks/${task.id}/notes`, org.token);
    assert.equal(list.body.items.length, 1);
  });

  it('lets a technician read and write notes only on tasks assigned to them', async () => {
    const tech = await ctx.addUser(org, 'technician');
    const mine = await newTask(ctx, org, { assigneeIds: [tech.userId] });
    const other = await newTask(ctx, org);
    assert.equal((await ctx.call('POST', `/api/v1/tasks/${mine.id}/notes`, tech.token, { body: 'On my way' })).status, 201);
    const denied = await ctx.call('POST', `/api/v1/tasks/${other.id}/notes`, tech.token, { body: 'Hello?' });
    assert.equal(denied.status, 404);
    assert.equal(denied.body.error.code, 'task_not_found');
    assert.equal((await ctx.call('GET', `/api/v1/tasks/${other.id}/notes`, tech.token)).status, 404);
    assert.deepEqual((await ctx.call('GET', `/api/v1/tasks/${other.id}/notes`, org.token)).body.items, []);
  });
});
