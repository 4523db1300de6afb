import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, fixedClock, secondInstance, testContext, TEST_PASSWORD, type TestContext } from '../../testing/harness.ts';

describeEachStore('rate limits', (store) => {
  let ctx: TestContext;
  const clock = fixedClock('2026-11-20T15:00:00.000Z');
  before(async () => {
    ctx = await testContext(store, { clock, config: { rateLimits: { signupPerHour: 3, loginPerMinute: 3, apiPerMinute: 5 } } });
  });
  after(() => ctx.close());

  const signupFrom = (address: string, n: number) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/signup',
      remoteAddress: address,
      payload: { orgName: `Limited ${n}`, name: 'Admin', email: `limited-${n}-${Math.random().toString(36).slice(2, 8)}@example.com`, password: TEST_PASSWORD },
    });
  const assertLimited = (res: { statusCode: number; headers: Record<string, unknown>; json(): any }, maxSeconds: number) => {
    assert.equal(res.statusCode, 429, JSON.stringify(res.json()));
    assert.equal(res.json().error.code, 'rate_limited');
    const retryAfter = Number(res.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= maxSeconds, `Retry-After: ${res.headers['retry-after']}`);
    assert.equal(res.json().error.details.retryAfterSeconds, retryAfter);
  };

  it('limits sign-ups per client address per hour, with 429 rate_limited and Retry-After', async () => {
    const orgsBefore = (await ctx.deps.db.kysely.selectFrom('organizations').select('id').execute()).length;
    for (let n = 1; n <= 3; n++) assert.equal((await signupFrom('10.7.0.1', n)).statusCode, 201);
    assertLimited(await signupFrom('10.7.0.1', 4), 3600);
    assert.equal((await signupFrom('10.7.0.2', 5)).statusCode, 201, 'another address is not limited');
    const orgsAfter = (await ctx.deps.db.kysely.selectFrom('organizations').select('id').execute()).length;
    assert.equal(orgsAfter - orgsBefore, 4, 'the refused sign-up created nothing');
    clock.advance(3600_000);
    assert.equal((await signupFrom('10.7.0.1', 6)).statusCode, 201, 'the next hour is a new window');
  });

  it('limits logins per client address, even with the right password', async () => {
    const email = `login-limit-${Math.random().toString(36).slice(2, 8)}@example.com`;
    await ctx.signup({ email });
    const login = (address: string) =>
      ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: address, payload: { email, password: TEST_PASSWORD } });
    for (let i = 0; i < 3; i++) assert.equal((await login('10.7.1.9')).statusCode, 200);
    assertLimited(await login('10.7.1.9'), 60);
    assert.equal((await login('10.7.1.10')).statusCode, 200);
  });

  it('limits every authenticated route per credential, not per user, until the window ends', async () => {
    clock.advance(3600_000);
    // No seller details: that PATCH would be the token's first request.
    const org = await ctx.signup({ sellerDetails: false });
    const other = await ctx.call('POST', '/api/v1/tokens', org.token, { name: 'second' }); // 1st request of org.token
    assert.equal(other.status, 201);
    for (let i = 2; i <= 5; i++) {
      const r = await ctx.call('GET', i % 2 ? '/api/v1/clients' : '/api/v1/users/me', org.token);
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-ratelimit-remaining'], String(5 - i));
    }
    const refused = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/clients',
      headers: { authorization: `Bearer ${org.token}` },
      payload: { name: 'Flood' },
    });
    assertLimited(refused, 60);
    assert.equal(
      (await ctx.call('GET', '/api/v1/clients', other.body.token)).body.items.length,
      0,
      'the refused write did nothing; the other token still works',
    );
    assert.equal((await ctx.call('GET', '/healthz')).status, 200, 'public routes are not counted per credential');
    clock.advance(60_000);
    assert.equal((await ctx.call('GET', '/api/v1/users/me', org.token)).status, 200, 'a new minute, a new window');
  });

  it('shares the counts between server processes on PostgreSQL', { skip: store !== 'postgres' && 'one process on SQLite: counts in memory' }, async () => {
    clock.advance(3600_000);
    const b = await secondInstance(ctx);
    try {
      const org = await ctx.signup({ sellerDetails: false });
      for (let i = 0; i < 5; i++) assert.equal((await (i % 2 ? b : ctx).call('GET', '/api/v1/users/me', org.token)).status, 200);
      const r = await b.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `Bearer ${org.token}` } });
      assertLimited(r, 60);
      const rows = await ctx.deps.db.kysely.selectFrom('rate_limits').selectAll().where('key', 'like', 'api:%').execute();
      assert.ok(
        rows.some((row) => row.count === 6),
        JSON.stringify(rows),
      );
    } finally {
      await b.close();
    }
  });
});
