import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, TEST_PASSWORD, type TestContext } from '../testing/harness.ts';

describeEachStore('origin check on cookie-authenticated writes', (store) => {
  let ctx: TestContext;
  let behindProxy: TestContext;
  let trusted: TestContext;
  before(async () => {
    ctx = await testContext(store);
    behindProxy = await testContext(store, { config: { publicOrigin: 'https://chantier.example.com' } });
    trusted = await testContext(store, { config: { trustProxy: true } });
  });
  after(async () => {
    await ctx.close();
    await behindProxy.close();
    await trusted.close();
  });

  let ip = 0;
  const sessionOf = async (c: TestContext) => {
    const email = `origin-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const org = await c.signup({ email });
    const res = await c.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD }, remoteAddress: `10.9.0.${++ip}` });
    return { org, cookie: `chantier_session=${res.cookies.find((k) => k.name === 'chantier_session')!.value}` };
  };
  const tokenCount = async (c: TestContext, userId: string) =>
    (await c.deps.db.kysely.selectFrom('sessions').select('id').where('user_id', '=', userId).where('kind', '=', 'token').execute()).length;

  it('refuses a cookie write from another origin (403 origin_mismatch) and does nothing', async () => {
    const { org, cookie } = await sessionOf(ctx);
    const before = await tokenCount(ctx, org.userId);
    for (const headers of <Record<string, string>[]>[
      { origin: 'https://evil.example' },
      { origin: 'http://chantier.example.com.evil.example' },
      { origin: 'http://chantier.example.com:8443' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const r = await ctx.call('POST', '/api/v1/tokens', undefined, { name: 'csrf' }, { cookie, host: 'chantier.example.com', ...headers });
      assert.equal(r.status, 403, JSON.stringify(headers));
      assert.equal(r.body.error.code, 'origin_mismatch');
    }
    const del = await ctx.call('PATCH', `/api/v1/users/${org.userId}`, undefined, { name: 'Pwned' }, { cookie, origin: 'https://evil.example' });
    assert.equal(del.status, 403);
    assert.equal(await tokenCount(ctx, org.userId), before, 'no token was created');
    assert.notEqual((await ctx.call('GET', '/api/v1/users/me', org.token)).body.name, 'Pwned');
  });

  it('lets same-origin writes, reads from anywhere, clients without Origin and bearer tokens through', async () => {
    const { org, cookie } = await sessionOf(ctx);
    const host = 'chantier.example.com';
    const ok: Record<string, string>[] = [
      { origin: 'https://chantier.example.com' },
      { origin: 'http://chantier.example.com' },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      {},
    ];
    for (const headers of ok) {
      const r = await ctx.call('POST', '/api/v1/tokens', undefined, { name: 'mine' }, { cookie, host, ...headers });
      assert.equal(r.status, 201, JSON.stringify(headers));
    }
    const read = await ctx.call('GET', '/api/v1/users/me', undefined, undefined, { cookie, origin: 'https://evil.example' });
    assert.equal(read.status, 200);
    const bearer = await ctx.call('POST', '/api/v1/tokens', org.token, { name: 'ci' }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(bearer.status, 201);
  });

  it('checks against CHANTIER_PUBLIC_URL when it is set, whatever the Host', async () => {
    const { cookie } = await sessionOf(behindProxy);
    const good = await behindProxy.call(
      'POST',
      '/api/v1/tokens',
      undefined,
      { name: 'web' },
      { cookie, host: '127.0.0.1:3000', origin: 'https://chantier.example.com' },
    );
    assert.equal(good.status, 201, JSON.stringify(good.body));
    const hostOnly = await behindProxy.call(
      'POST',
      '/api/v1/tokens',
      undefined,
      { name: 'web' },
      { cookie, host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' },
    );
    assert.equal(hostOnly.status, 403);
    assert.equal(hostOnly.body.error.code, 'origin_mismatch');
    const http = await behindProxy.call('POST', '/api/v1/tokens', undefined, { name: 'web' }, { cookie, origin: 'http://chantier.example.com' });
    assert.equal(http.status, 403, 'the scheme is part of the public origin');
  });

  it('takes the host from X-Forwarded-Host only when the proxy is trusted', async () => {
    const headers = { host: '127.0.0.1:3000', 'x-forwarded-host': 'chantier.example.com', origin: 'https://chantier.example.com' };
    const viaProxy = await sessionOf(trusted);
    assert.equal((await trusted.call('POST', '/api/v1/tokens', undefined, { name: 'web' }, { cookie: viaProxy.cookie, ...headers })).status, 201);
    const direct = await sessionOf(ctx);
    const r = await ctx.call('POST', '/api/v1/tokens', undefined, { name: 'web' }, { cookie: direct.cookie, ...headers });
    assert.equal(r.status, 403, 'an untrusted X-Forwarded-Host is ignored');
    assert.equal(r.body.error.code, 'origin_mismatch');
  });
});
