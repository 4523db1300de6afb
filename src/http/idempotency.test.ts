import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, fixedClock, testContext, type Org, type TestContext } from '../testing/harness.ts';
import type { Executor } from '../db/index.ts';
import { typeIds } from '../testing/defaults.ts';
import { idempotencyFaults } from './idempotency.ts';

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
    assert.ok(
      created.every((r) => r.body.id === created[0].body.id),
      'every success is the same task',
    );
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

  /** The process "dies" after the work's COMMIT and before the answer is stored (the old mark-done step). */
  const crashingAfterCommit = async <T>(request: () => Promise<T>): Promise<T> => {
    idempotencyFaults.beforeMarkDone = () => {
      throw new Error('crash after commit');
    };
    try {
      return await request();
    } finally {
      idempotencyFaults.beforeMarkDone = undefined;
    }
  };
  const keyRow = (k: string) => ctx.deps.db.kysely.selectFrom('idempotency_keys').selectAll().where('key', '=', k).executeTakeFirstOrThrow();

  it('after a crash between the commit and the stored answer, a retried line is replayed, not stored twice', async () => {
    const task = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Crash line' })).body;
    const k = key();
    const url = `/api/v1/tasks/${task.id}/lines`;
    const line = { description: 'Excavatrice', quantity: '6.5', unit: 'h', unitPriceCents: 14500 };
    const lost = await crashingAfterCommit(() => post(org, k, line, url));
    assert.equal(lost.status, 500, 'the client never got its answer');
    assert.equal((await keyRow(k)).state, 'committed', 'the key committed with the work');
    const retry = await post(org, k, line, url);
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal(retry.body.amountCents, 94250);
    const lines = await ctx.call('GET', url, org.token);
    assert.equal(lines.body.items.length, 1, 'one line, not two');
    assert.equal(lines.body.items[0].id, retry.body.id);
    const again = await post(org, k, line, url);
    assert.deepEqual(again.body, retry.body, 'the answer is stored now');
    assert.equal((await keyRow(k)).state, 'done');
  });

  it('after a crash between the commit and the stored answer, a retried completion answers 200, not 409', async () => {
    const task = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Crash completion' })).body;
    const k = key();
    const url = `/api/v1/tasks/${task.id}/transitions`;
    assert.equal((await crashingAfterCommit(() => post(org, k, { to: 'completed' }, url))).status, 500);
    const retry = await post(org, k, { to: 'completed' }, url);
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal(retry.body.status, 'completed');
    const h = await ctx.call('GET', `/api/v1/tasks/${task.id}/history`, org.token);
    assert.equal(h.body.items.length, 2, 'one transition only');
  });

  it('does not commit the work of an attempt whose key another attempt took over', async () => {
    const task = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Taken over' })).body;
    const k = key();
    // While this attempt's transaction runs, a retry takes the key over (as it does once the
    // first attempt looks dead): this attempt's work must then not commit.
    const hook = async (trx: Executor) => {
      await trx.updateTable('idempotency_keys').set({ attempt: 'a-later-attempt' }).where('key', '=', k).execute();
    };
    ctx.deps.transitionHooks.push(hook);
    try {
      const r = await post(org, k, { to: 'completed' }, `/api/v1/tasks/${task.id}/transitions`);
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'idempotency_request_in_progress');
    } finally {
      ctx.deps.transitionHooks.splice(ctx.deps.transitionHooks.indexOf(hook), 1);
    }
    const after = await ctx.call('GET', `/api/v1/tasks/${task.id}`, org.token);
    assert.equal(after.body.status, task.status, 'the transition was rolled back');
  });

  it('never keeps a new API token’s secret for replay: the repeat answers 409 idempotency_answer_withheld', async () => {
    const k = key();
    const first = await post(org, k, { name: 'CI' }, '/api/v1/tokens');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.ok(first.body.token);
    const row = await keyRow(k);
    assert.equal(row.response_body, null);
    assert.equal(row.withheld, 1);
    assert.ok(!JSON.stringify(row).includes(first.body.token), 'the secret is nowhere in the key row');
    const again = await post(org, k, { name: 'CI' }, '/api/v1/tokens');
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'idempotency_answer_withheld');
    const tokens = await ctx.call('GET', '/api/v1/tokens', org.token);
    assert.equal(tokens.body.items.filter((t: { name: string }) => t.name === 'CI').length, 1, 'one token made');
  });

  it('never records a secret from a transaction either, even when the answer is lost in a crash', async () => {
    const k = key();
    const lost = await crashingAfterCommit(() => post(org, k, { name: 'Lost' }, '/api/v1/tokens'));
    assert.equal(lost.status, 500);
    const row = await keyRow(k);
    assert.equal(row.state, 'committed');
    assert.equal(row.withheld, 1);
    const again = await post(org, k, { name: 'Lost' }, '/api/v1/tokens');
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'idempotency_answer_withheld');
  });

  it('never keeps a generated webhook secret for replay', async () => {
    const k = key();
    const rule = {
      name: 'Tell the ERP',
      enabled: false,
      trigger: { type: 'status_entered', status: 'completed' },
      actions: [{ type: 'webhook', url: 'https://erp.example.com/hook' }],
    };
    const first = await post(org, k, rule, '/api/v1/automations');
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const secret = Object.values(first.body.secrets as Record<string, string>)[0];
    assert.ok(secret);
    const row = await keyRow(k);
    assert.ok(!JSON.stringify(row).includes(secret), 'the secret is nowhere in the key row');
    const again = await post(org, k, rule, '/api/v1/automations');
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'idempotency_answer_withheld');
  });

  it('after a crash between the commit and the stored answer, a retried note is replayed, not added twice', async () => {
    const task = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Crash note' })).body;
    const k = key();
    const url = `/api/v1/tasks/${task.id}/notes`;
    assert.equal((await crashingAfterCommit(() => post(org, k, { body: 'Clé sous le paillasson' }, url))).status, 500);
    const retry = await post(org, k, { body: 'Clé sous le paillasson' }, url);
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    const notes = await ctx.call('GET', url, org.token);
    assert.equal(notes.body.items.length, 1);
  });
});
