import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { typeIds } from '../testing/defaults.ts';

describeEachStore('task transitions', (store) => {
  let ctx: TestContext;
  let org: Org;
  let workTypeId: string;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
    workTypeId = (await typeIds(ctx, org)).work;
  });
  after(() => ctx.close());

  const newTask = async (title = 'Excavation') => {
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };

  it('moves a task along its workflow and records each step in its history', async () => {
    const task = await newTask();
    assert.equal(task.status, 'todo');
    assert.match(task.displayNumber, /^T-\d+$/);
    const r1 = await ctx.call('POST', `/api/v1/tasks/${task.id}/transitions`, org.token, { to: 'in_progress' });
    assert.equal(r1.status, 200, JSON.stringify(r1.body));
    const r2 = await ctx.call('POST', `/api/v1/tasks/${task.id}/transitions`, org.token, { to: 'completed' });
    assert.equal(r2.body.status, 'completed');
    assert.equal(r2.body.statusCategory, 'done');
    assert.ok(r2.body.completedAt);
    const h = await ctx.call('GET', `/api/v1/tasks/${task.id}/history`, org.token);
    assert.deepEqual(
      h.body.items.map((e: { from: string | null; to: string }) => [e.from, e.to]),
      [
        [null, 'todo'],
        ['todo', 'in_progress'],
        ['in_progress', 'completed'],
      ],
    );
    assert.ok(h.body.items.every((e: { userId: string }) => e.userId === org.userId));
  });

  it('refuses a transition the workflow does not allow, naming the allowed targets, and writes nothing', async () => {
    const task = await newTask();
    const r = await ctx.call('POST', `/api/v1/tasks/${task.id}/transitions`, org.token, { to: 'nowhere' });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'transition_not_allowed');
    assert.deepEqual([...r.body.error.details.allowed].sort(), ['cancelled', 'completed', 'in_progress', 'scheduled']);
    const r2 = await ctx.call('POST', `/api/v1/tasks/${task.id}/transitions`, org.token, { to: 'todo' });
    assert.equal(r2.status, 409);
    const h = await ctx.call('GET', `/api/v1/tasks/${task.id}/history`, org.token);
    assert.equal(h.body.items.length, 1);
    const t = await ctx.call('GET', `/api/v1/tasks/${task.id}`, org.token);
    assert.equal(t.body.status, 'todo');
    assert.equal(t.body.version, 1);
  });

  it('answers 409 stale_version when the version sent is not the current one', async () => {
    const task = await newTask();
    const ok = await ctx.call('POST', `/api/v1/tasks/${task.id}/transitions`, org.token, { to: 'scheduled', version: 1 });
    assert.equal(ok.status, 200);
    const stale = await ctx.call('POST', `/api/v1/tasks/${task.id}/transitions`, org.token, { to: 'in_progress', version: 1 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'stale_version');
    assert.equal(stale.body.error.details.currentVersion, 2);
  });

  it('rolls the whole transition back when a hook fails inside it', async () => {
    const task = await newTask();
    ctx.deps.transitionHooks.push(async () => {
      throw new Error('boom');
    });
    try {
      const r = await ctx.call('POST', `/api/v1/tasks/${task.id}/transitions`, org.token, { to: 'in_progress' });
      assert.equal(r.status, 500);
      assert.equal(r.body.error.code, 'internal_error');
      assert.doesNotMatch(JSON.stringify(r.body), /boom/);
    } finally {
      ctx.deps.transitionHooks.pop();
    }
    const t = await ctx.call('GET', `/api/v1/tasks/${task.id}`, org.token);
    assert.equal(t.body.status, 'todo');
    const h = await ctx.call('GET', `/api/v1/tasks/${task.id}/history`, org.token);
    assert.equal(h.body.items.length, 1);
  });
});
