import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, fixedClock, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { typeIds } from '../testing/defaults.ts';

describeEachStore('Idempotency-Key', (store) => {
  let ctx: TestContext;
  let org: Org;
  let workTypeId: string;
  const clock = fixedClock();
  let n = 0;

  before(async () => {
    ctx = await testContext(store, { clock });
    org = await ctx.signup();
    workTypeId = (await typeIds(ctx, org)).work;
  });
  after(() => ctx.close());

  const key = () => `key-${++n}-${Math.random().toString(36).slice(2, 8)}`;
  const post = (o: Org, k: string, body: Record<string, unknown>, url = '/api/v1/tasks') => ctx.call('POST', url, o.token, body, { 'idempotency-key': k });
  const tasksTitled = async (title: string) =>
    (await ctx.deps.db.kysely.selectFrom('tasks').select(['id', 'org_id']).where('title', '=', title).execute()).length;

  it('replays the first response to a repeat with the same key and body, creating one task', async () => {
    const k = key();
    const body = { typeId: workTypeId, title: 'Once only', description: 'd' };
    const first = await post(org, k, body);
    assert.equal(first.status, 201);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const again = await post(org, k, { description: 'd', title: 'Once only', typeId: workTypeId });
    assert.equal(again.status, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.body, first.body);
    assert.equal(await tasksTitled('Once only'), 1);
  });

  it('answers 422 idempotency_key_reused for the same key with another body or route, creating nothing', async () => {
    const k = key();
    await post(org, k, { typeId: workTypeId, title: 'Original' });
    const other = await post(org, k, { typeId: workTypeId, title: 'Different' });
    assert.equal(other.status, 422);
    assert.equal(other.body.error.code, 'idempotency_key_reused');
    const elsewhere = await post(org, k, { name: 'Original' }, '/api/v1/clients');
    assert.equal(elsewhere.status, 422);
    assert.equal(await tasksTitled('Different'), 0);
    const clients = await ctx.call('GET', '/api/v1/clients', org.token);
    assert.equal(clients.body.items.length, 0);
  });

  it('keeps keys per user: another user’s same key is independent', async () => {
    const k = key();
    const dispatcher = await ctx.addUser(org, 'dispatcher');
    const otherOrg = await ctx.signup();
    const otherType = (await ctx.call('GET', '/api/v1/task-types', otherOrg.token)).body.items[0].id;
    const mine = await post(org, k, { typeId: workTypeId, title: 'Per user' });
    const theirs = await post(dispatcher, k, { typeId: workTypeId, title: 'Per user' });
    assert.equal(theirs.status, 201);
    assert.equal(theirs.headers['idempotent-replayed'], undefined);
    assert.notEqual(theirs.body.id, mine.body.id);
    const different = await post(dispatcher, key(), { typeId: workTypeId, title: 'x' });
    assert.equal(different.status, 201);
    const foreign = await post(otherOrg, k, { typeId: otherType, title: 'Per user' });
    assert.equal(foreign.status, 201, 'a key used in another organization is not reused');
    assert.equal(await tasksTitled('Per user'), 3);
  });

  it('lets a POST that failed validation be retried with the same key and a corrected body', async () => {
    const k = key();
    const bad = await post(org, k, { typeId: workTypeId, title: '' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'validation_failed');
    const good = await post(org, k, { typeId: workTypeId, title: 'Corrected' });
    assert.equal(good.status, 201);
    assert.equal(good.headers['idempotent-replayed'], undefined);
  });

  it('lets a POST refused by the service (nothing written) be retried with the same key and a corrected body', async () => {
    const k = key();
    const body = { typeId: workTypeId, title: 'Rescheduled', scheduledStart: '2025-06-02T12:00:00Z', scheduledEnd: '2025-06-01T12:00:00Z' };
    const bad = await post(org, k, body);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_schedule');
    const good = await post(org, k, { ...body, scheduledEnd: '2025-06-02T16:00:00Z' });
    assert.equal(good.status, 201, JSON.stringify(good.body));
    assert.equal(await tasksTitled('Rescheduled'), 1);
  });

  it('lets a POST that failed on the server be retried with the same key', async () => {
    const task = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Flaky' })).body;
    const k = key();
    const hook = async () => {
      throw new Error('transient');
    };
    ctx.deps.transitionHooks.push(hook);
    try {
      assert.equal((await post(org, k, { to: 'in_progress' }, `/api/v1/tasks/${task.id}/transitions`)).status, 500);
    } finally {
      ctx.deps.transitionHooks.splice(ctx.deps.transitionHooks.indexOf(hook), 1);
    }
    const retry = await post(org, k, { to: 'in_progress' }, `/api/v1/tasks/${task.id}/transitions`);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.status, 'in_progress');
  });

  it('replays a transition instead of refusing it as already done', async () => {
    const task = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Move once' })).body;
    const k = key();
    const url = `/api/v1/tasks/${task.id}/transitions`;
    const first = await post(org, k, { to: 'completed' }, url);
    const again = await post(org, k, { to: 'completed' }, url);
    assert.equal(again.status, 200);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body.version, first.body.version);
    const h = await ctx.call('GET', `/api/v1/tasks/${task.id}/history`, org.token);
    assert.equal(h.body.items.length, 2, 'one transition only');
  });

  it('creates one task when the same keyed request arrives several times at once', async () => {
    const k = key();
    const replies = await Promise.all(Array.from({ length: 5 }, () => post(org, k, { typeId: workTypeId, title: 'Simultaneous' })));
    const created = replies.filter((r) => r.status === 201);
    assert.ok(created.length >= 1);
    assert.ok(created.every((r) => r.body.id === created[0].body.id), 'every success is the same task');
    for (const r of replies.filter((x) => x.status !== 201)) {
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'idempotency_request_in_progress');
    }
    assert.equal(await tasksTitled('Simultaneous'), 1);
  });

  it('forgets a key after 24 hours', async () => {
    const k = key();
    await post(org, k, { typeId: workTypeId, title: 'Day one' });
    clock.advance(24 * 3_600_000 + 1000);
    const next = await post(org, k, { typeId: workTypeId, title: 'Day two' });
    assert.equal(next.status, 201);
    assert.equal(next.body.title, 'Day two');
  });

  it('refuses a key longer than 255 characters', async () => {
    const r = await post(org, 'k'.repeat(256), { typeId: workTypeId, title: 'Long key' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'invalid_idempotency_key');
    assert.equal(await tasksTitled('Long key'), 0);
  });
});
