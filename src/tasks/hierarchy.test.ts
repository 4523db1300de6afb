import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { typeIds } from '../testing/defaults.ts';

describeEachStore('main tasks and sub-tasks', (store) => {
  let ctx: TestContext;
  let org: Org;
  let other: Org;
  let workTypeId: string;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
    other = await ctx.signup();
    workTypeId = (await typeIds(ctx, org)).work;
  });
  after(() => ctx.close());

  const make = async (title: string, parentId?: string, o: Org = org, typeId = workTypeId) => {
    const r = await ctx.call('POST', '/api/v1/tasks', o.token, { typeId, title, ...(parentId ? { parentId } : {}) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as { id: string; version: number; parentId: string | null };
  };
  /** A → B → C: B is a sub-task of A, C of B. */
  const chain = async () => {
    const a = await make('A');
    const b = await make('B', a.id);
    const c = await make('C', b.id);
    return { a, b, c };
  };
  const parentOf = async (id: string) => (await ctx.call('GET', `/api/v1/tasks/${id}`, org.token)).body.parentId;

  it('refuses a parent from another organization as if it did not exist (400 parent_not_found)', async () => {
    const otherType = (await typeIds(ctx, other)).work;
    const theirs = await make('theirs', undefined, other, otherType);
    const before = (await ctx.call('GET', '/api/v1/tasks', org.token)).body.items.length;
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'x', parentId: theirs.id });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'parent_not_found');
    assert.equal((await ctx.call('GET', '/api/v1/tasks', org.token)).body.items.length, before);
    const mine = await make('mine');
    const e = await ctx.call('PATCH', `/api/v1/tasks/${mine.id}`, org.token, { parentId: theirs.id });
    assert.equal(e.status, 400);
    assert.equal(e.body.error.code, 'parent_not_found');
    assert.equal(await parentOf(mine.id), null);
    const t = await ctx.call('GET', `/api/v1/tasks?parentId=${theirs.id}`, other.token);
    assert.deepEqual(t.body.items, [], 'no sub-task was attached to the other organization’s task');
  });

  it('refuses making a task its own parent (400 parent_cycle)', async () => {
    const a = await make('self');
    const r = await ctx.call('PATCH', `/api/v1/tasks/${a.id}`, org.token, { parentId: a.id });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'parent_cycle');
    assert.equal(await parentOf(a.id), null);
  });

  it('refuses making a task a sub-task of its own sub-task or deeper (400 parent_cycle), changing nothing', async () => {
    const { a, b, c } = await chain();
    for (const descendant of [b, c]) {
      const r = await ctx.call('PATCH', `/api/v1/tasks/${a.id}`, org.token, { parentId: descendant.id, title: 'moved' });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'parent_cycle');
    }
    const got = await ctx.call('GET', `/api/v1/tasks/${a.id}`, org.token);
    assert.equal(got.body.parentId, null);
    assert.equal(got.body.title, 'A');
    assert.equal(got.body.version, 1);
  });

  it('moves a sub-tree under another task, and detaches a sub-task with null', async () => {
    const { a, b, c } = await chain();
    const d = await make('D');
    const moved = await ctx.call('PATCH', `/api/v1/tasks/${b.id}`, org.token, { parentId: d.id });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.parentId, d.id);
    assert.equal(await parentOf(c.id), b.id, 'the sub-tree comes along');
    const underA = await ctx.call('GET', `/api/v1/tasks?parentId=${a.id}`, org.token);
    assert.deepEqual(underA.body.items, []);
    // Now D → B → C: D may not go under C, but A may.
    assert.equal((await ctx.call('PATCH', `/api/v1/tasks/${d.id}`, org.token, { parentId: c.id })).body.error.code, 'parent_cycle');
    assert.equal((await ctx.call('PATCH', `/api/v1/tasks/${a.id}`, org.token, { parentId: c.id })).status, 200);
    const detached = await ctx.call('PATCH', `/api/v1/tasks/${b.id}`, org.token, { parentId: null });
    assert.equal(detached.status, 200);
    assert.equal(detached.body.parentId, null);
  });

  it('refuses a parent that does not exist at all', async () => {
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'x', parentId: '01900000-0000-7000-8000-000000000000' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'parent_not_found');
  });
});
