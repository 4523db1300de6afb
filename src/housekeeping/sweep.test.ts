import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { typeIds } from '../testing/defaults.ts';
import { describeEachStore, fixedClock, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { createWorker } from '../worker.ts';
import { sweepExpired } from './sweep.ts';

describeEachStore('sweeping expired rows', (store) => {
  const clock = fixedClock('2026-03-02T15:00:00Z');
  let ctx: TestContext;
  let org: Org;
  let workTypeId: string;
  before(async () => {
    ctx = await testContext(store, { clock });
    org = await ctx.signup();
    workTypeId = (await typeIds(ctx, org)).work;
  });
  after(() => ctx.close());

  const count = async (table: 'idempotency_keys' | 'sessions' | 'login_failures') =>
    Number(
      (
        await ctx.deps.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('forgets idempotency keys after 24 hours, ended sessions, old revoked tokens and finished login windows; keeps the rest', async () => {
    const post = (k: string, title: string) => ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title }, { 'idempotency-key': k });
    assert.equal((await post('old', 'Old')).status, 201);
    const revoked = (await ctx.call('POST', '/api/v1/tokens', org.token, { name: 'Old CI' })).body;
    assert.equal((await ctx.call('DELETE', `/api/v1/tokens/${revoked.id}`, org.token)).status, 204);
    const login = await ctx.call('POST', '/api/v1/auth/login', undefined, { email: 'nobody@example.com', password: 'wrong password here' });
    assert.equal(login.status, 401);
    const sessionsBefore = await count('sessions');
    assert.ok((await count('login_failures')) > 0);

    clock.advance(31 * 86_400_000);
    assert.equal((await post('new', 'New')).status, 201);
    const swept = await sweepExpired(ctx.deps);
    assert.equal(swept.idempotencyKeys, 1);
    assert.equal(swept.sessions, 1, 'the token revoked 31 days ago');
    assert.ok(swept.loginFailures > 0);
    const keys = await ctx.deps.db.kysely.selectFrom('idempotency_keys').select('key').execute();
    assert.deepEqual(
      keys.map((k) => k.key),
      ['new'],
    );
    assert.equal(await count('sessions'), sessionsBefore - 1);
    assert.equal(await count('login_failures'), 0);
    assert.equal((await ctx.call('GET', '/api/v1/tasks', org.token)).status, 200, 'live credentials still work');
  });

  it('runs in the worker loop', async () => {
    await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Kept a day' }, { 'idempotency-key': 'loop' });
    clock.advance(25 * 3_600_000);
    const worker = createWorker(ctx.deps, { pollMs: 10 });
    worker.start();
    try {
      for (let i = 0; i < 200 && (await count('idempotency_keys')) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await worker.stop();
    }
    assert.equal(await count('idempotency_keys'), 0);
  });
});
