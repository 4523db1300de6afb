import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type Reply, type TestContext } from '../testing/harness.ts';
import { typeIds } from '../testing/defaults.ts';

describeEachStore('editing a task concurrently', (store) => {
  let ctx: TestContext;
  let org: Org;
  let workTypeId: string;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
    workTypeId = (await typeIds(ctx, org)).work;
  });
  after(() => ctx.close());

  const newTask = async (title = 'Contended') => (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title })).body;
  const get = async (id: string) => (await ctx.call('GET', `/api/v1/tasks/${id}`, org.token)).body;
  const history = async (id: string) => (await ctx.call('GET', `/api/v1/tasks/${id}/history`, org.token)).body.items;
  /** Exactly one reply succeeded; every other one is 409 stale_version. */
  const oneWinner = (replies: Reply[]) => {
    const won = replies.filter((r) => r.status === 200);
    assert.equal(won.length, 1, JSON.stringify(replies.map((r) => [r.status, r.body.error?.code])));
    for (const r of replies.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'stale_version');
    }
    return won[0];
  };

  it('refuses a PATCH on a stale version (409 stale_version with the current one), changing nothing', async () => {
    const t = await newTask();
    const first = await ctx.call('PATCH', `/api/v1/tasks/${t.id}`, org.token, { title: 'First', version: 1 });
    assert.equal(first.status, 200);
    assert.equal(first.body.version, 2);
    const stale = await ctx.call('PATCH', `/api/v1/tasks/${t.id}`, org.token, { title: 'Second', description: 'lost', version: 1 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'stale_version');
    assert.equal(stale.body.error.details.currentVersion, 2);
    const now = await get(t.id);
    assert.equal(now.title, 'First');
    assert.equal(now.description, null);
    assert.equal(now.version, 2);
  });

  it('lets exactly one of several simultaneous PATCHes on the same version win', async () => {
    const t = await newTask();
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) => ctx.call('PATCH', `/api/v1/tasks/${t.id}`, org.token, { title: `Edit ${i}`, version: 1 })),
    );
    const won = oneWinner(replies);
    const now = await get(t.id);
    assert.equal(now.title, won.body.title);
    assert.equal(now.version, 2);
  });

  it('lets exactly one of several simultaneous transitions on the same version win', async () => {
    const t = await newTask();
    const targets = ['scheduled', 'in_progress', 'completed', 'cancelled', 'in_progress'];
    const replies = await Promise.all(targets.map((to) => ctx.call('POST', `/api/v1/tasks/${t.id}/transitions`, org.token, { to, version: 1 })));
    const won = oneWinner(replies);
    const now = await get(t.id);
    assert.equal(now.status, won.body.status);
    assert.equal(now.version, 2);
    assert.deepEqual(
      (await history(t.id)).map((h: { to: string }) => h.to),
      ['todo', won.body.status],
      'one history entry for the winner',
    );
  });

  it('lets exactly one of a PATCH and a transition on the same version win', async () => {
    const t = await newTask();
    const replies = await Promise.all([
      ctx.call('PATCH', `/api/v1/tasks/${t.id}`, org.token, { title: 'Edited', version: 1 }),
      ctx.call('POST', `/api/v1/tasks/${t.id}/transitions`, org.token, { to: 'in_progress', version: 1 }),
      ctx.call('PATCH', `/api/v1/tasks/${t.id}`, org.token, { title: 'Edited again', version: 1 }),
      ctx.call('POST', `/api/v1/tasks/${t.id}/transitions`, org.token, { to: 'completed', version: 1 }),
    ]);
    const won = oneWinner(replies);
    const now = await get(t.id);
    assert.equal(now.version, 2);
    assert.equal(now.title, won.body.title);
    assert.equal(now.status, won.body.status);
  });

  it('applies every one of simultaneous edits that name no version, none lost', async () => {
    const t = await newTask();
    const users = await Promise.all([ctx.addUser(org, 'technician'), ctx.addUser(org, 'technician')]);
    const replies = await Promise.all([
      ctx.call('PATCH', `/api/v1/tasks/${t.id}`, org.token, { title: 'New title' }),
      ctx.call('PATCH', `/api/v1/tasks/${t.id}`, org.token, { assigneeIds: users.map((u) => u.userId) }),
      ctx.call('POST', `/api/v1/tasks/${t.id}/transitions`, org.token, { to: 'in_progress' }),
      ctx.call('PATCH', `/api/v1/tasks/${t.id}`, org.token, { description: 'Bring the compactor' }),
    ]);
    assert.ok(
      replies.every((r) => r.status === 200),
      JSON.stringify(replies.map((r) => r.body)),
    );
    const now = await get(t.id);
    assert.equal(now.version, 5);
    assert.equal(now.title, 'New title');
    assert.equal(now.description, 'Bring the compactor');
    assert.equal(now.status, 'in_progress');
    assert.deepEqual(now.assigneeIds, users.map((u) => u.userId).sort());
  });

  it('never makes a cycle when two tasks are put under each other at the same time', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await newTask('A');
      const b = await newTask('B');
      const replies = await Promise.all([
        ctx.call('PATCH', `/api/v1/tasks/${a.id}`, org.token, { parentId: b.id }),
        ctx.call('PATCH', `/api/v1/tasks/${b.id}`, org.token, { parentId: a.id }),
      ]);
      const statuses = replies.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 400], JSON.stringify(replies.map((r) => r.body)));
      assert.equal(replies.find((r) => r.status === 400)!.body.error.code, 'parent_cycle');
      const [na, nb] = [await get(a.id), await get(b.id)];
      assert.ok(na.parentId === null || nb.parentId === null, 'not both under each other');
    }
  });
});
