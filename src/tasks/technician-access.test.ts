import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { typeIds } from '../testing/defaults.ts';

describeEachStore('what a technician sees of the tasks', (store) => {
  let ctx: TestContext;
  let admin: Org;
  let tech: Org;
  let otherTech: Org;
  let workTypeId: string;
  let clientId: string;
  // mine → child → grandchild; theirs → theirChild; loose (nobody); orphan, assigned to me under loose.
  const t: Record<'mine' | 'child' | 'grandchild' | 'theirs' | 'theirChild' | 'loose' | 'orphan', { id: string; version: number }> = {} as never;

  before(async () => {
    ctx = await testContext(store);
    admin = await ctx.signup();
    tech = await ctx.addUser(admin, 'technician');
    otherTech = await ctx.addUser(admin, 'technician');
    workTypeId = (await typeIds(ctx, admin)).work;
    clientId = (await ctx.call('POST', '/api/v1/clients', admin.token, { name: 'Client' })).body.id;
    const make = async (title: string, extra: Record<string, unknown> = {}) => {
      const r = await ctx.call('POST', '/api/v1/tasks', admin.token, { typeId: workTypeId, title, ...extra });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    t.mine = await make('mine', { assigneeIds: [tech.userId], clientId });
    t.child = await make('child', { parentId: t.mine.id });
    t.grandchild = await make('grandchild', { parentId: t.child.id });
    t.theirs = await make('theirs', { assigneeIds: [otherTech.userId] });
    t.theirChild = await make('theirChild', { parentId: t.theirs.id });
    t.loose = await make('loose');
    t.orphan = await make('orphan', { parentId: t.loose.id, assigneeIds: [tech.userId] });
  });
  after(() => ctx.close());

  const titles = (items: { title: string }[]) => items.map((x) => x.title).sort();

  it('lists only the tasks assigned to them and the sub-tasks under those, at any depth', async () => {
    const r = await ctx.call('GET', '/api/v1/tasks', tech.token);
    assert.equal(r.status, 200);
    assert.deepEqual(titles(r.body.items), ['child', 'grandchild', 'mine', 'orphan']);
    const all = await ctx.call('GET', '/api/v1/tasks', admin.token);
    assert.equal(all.body.items.length, 7, 'an admin sees every task');
  });

  it('keeps the visibility rule when filters and pages are used', async () => {
    const under = await ctx.call('GET', `/api/v1/tasks?parentId=${t.theirs.id}`, tech.token);
    assert.deepEqual(under.body.items, []);
    const top = await ctx.call('GET', '/api/v1/tasks?topLevel=true', tech.token);
    assert.deepEqual(titles(top.body.items), ['mine']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { title: string }[]; nextCursor: string | null } } = await ctx.call(
        'GET',
        `/api/v1/tasks?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        tech.token,
      );
      seen.push(...page.body.items.map((x) => x.title));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen.sort(), ['child', 'grandchild', 'mine', 'orphan']);
  });

  it('answers 404 for a task they may not see, as if it did not exist', async () => {
    for (const key of ['theirs', 'theirChild', 'loose'] as const) {
      const r = await ctx.call('GET', `/api/v1/tasks/${t[key].id}`, tech.token);
      assert.equal(r.status, 404, key);
      assert.equal(r.body.error.code, 'task_not_found');
      assert.equal((await ctx.call('GET', `/api/v1/tasks/${t[key].id}/history`, tech.token)).status, 404, `${key} history`);
    }
    for (const key of ['mine', 'child', 'grandchild', 'orphan'] as const) {
      assert.equal((await ctx.call('GET', `/api/v1/tasks/${t[key].id}`, tech.token)).status, 200, key);
    }
  });

  it('lets them move their tasks and sub-tasks along the workflow, but not others', async () => {
    const deep = await ctx.call('POST', `/api/v1/tasks/${t.grandchild.id}/transitions`, tech.token, { to: 'in_progress' });
    assert.equal(deep.status, 200, JSON.stringify(deep.body));
    assert.equal(deep.body.status, 'in_progress');
    const other = await ctx.call('POST', `/api/v1/tasks/${t.theirChild.id}/transitions`, tech.token, { to: 'in_progress' });
    assert.equal(other.status, 404);
    assert.equal((await ctx.call('GET', `/api/v1/tasks/${t.theirChild.id}`, admin.token)).body.status, 'todo');
  });

  it('lets them edit the title and schedule of their task, but not others', async () => {
    const ok = await ctx.call('PATCH', `/api/v1/tasks/${t.child.id}`, tech.token, { title: 'child, renamed', scheduledStart: '2025-05-01T08:00:00Z' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.title, 'child, renamed');
    t.child.version = ok.body.version;
    const no = await ctx.call('PATCH', `/api/v1/tasks/${t.loose.id}`, tech.token, { title: 'hijacked' });
    assert.equal(no.status, 404);
    assert.equal((await ctx.call('GET', `/api/v1/tasks/${t.loose.id}`, admin.token)).body.title, 'loose');
  });

  it('refuses them changing assignees, parent or client, even on their own task (403 field_not_allowed)', async () => {
    const cases: Record<string, unknown>[] = [
      { assigneeIds: [tech.userId, otherTech.userId] },
      { assigneeIds: [] },
      { parentId: t.loose.id },
      { parentId: null },
      { clientId: null },
      { title: 'sneaky', clientId },
    ];
    for (const body of cases) {
      const r = await ctx.call('PATCH', `/api/v1/tasks/${t.mine.id}`, tech.token, body);
      assert.equal(r.status, 403, JSON.stringify(body));
      assert.equal(r.body.error.code, 'field_not_allowed');
    }
    const after = await ctx.call('GET', `/api/v1/tasks/${t.mine.id}`, admin.token);
    assert.equal(after.body.title, 'mine');
    assert.deepEqual(after.body.assigneeIds, [tech.userId]);
    assert.equal(after.body.client.id, clientId);
    assert.equal(after.body.parentId, null);
    assert.equal(after.body.version, 1);
  });

  it('loses sight of a task once unassigned', async () => {
    const r = await ctx.call('PATCH', `/api/v1/tasks/${t.orphan.id}`, admin.token, { assigneeIds: [otherTech.userId] });
    assert.equal(r.status, 200);
    assert.equal((await ctx.call('GET', `/api/v1/tasks/${t.orphan.id}`, tech.token)).status, 404);
    const list = await ctx.call('GET', '/api/v1/tasks', tech.token);
    assert.ok(!titles(list.body.items).includes('orphan'));
  });
});
