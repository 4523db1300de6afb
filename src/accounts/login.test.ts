import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, TEST_PASSWORD, type TestContext } from '../testing/harness.ts';

const uniqueEmail = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}@example.com`;

describeEachStore('login and sessions', (store) => {
  let ctx: TestContext;
  let ip = 0;
  before(async () => {
    ctx = await testContext(store);
  });
  after(() => ctx.close());

  // Each test logs in from its own address so that failures in one never rate-limit another.
  const login = async (body: Record<string, unknown>) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body, remoteAddress: `10.1.0.${++ip}` });
    const cookie = res.cookies.find((c) => c.name === 'chantier_session');
    return { status: res.statusCode, body: res.json(), cookie };
  };
  const withCookie = (value: string) => ({ cookie: `chantier_session=${value}` });

  it('sets an httpOnly session cookie that authenticates GET /users/me', async () => {
    const email = uniqueEmail('anne');
    const org = await ctx.signup({ email });
    const r = await login({ email, password: TEST_PASSWORD });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.user.id, org.userId);
    assert.equal(r.body.user.orgId, org.orgId);
    assert.ok(r.cookie, 'a session cookie is set');
    assert.equal(r.cookie.httpOnly, true);
    assert.equal(r.cookie.path, '/');
    assert.equal(r.cookie.sameSite, 'Lax');
    // A cookie's expiry has whole seconds.
    assert.equal(new Date(r.cookie.expires!).getTime(), Math.floor(Date.parse(r.body.expiresAt) / 1000) * 1000);
    assert.doesNotMatch(JSON.stringify(r.body), new RegExp(r.cookie.value), 'the secret is only in the cookie');
    const me = await ctx.call('GET', '/api/v1/users/me', undefined, undefined, withCookie(r.cookie.value));
    assert.equal(me.status, 200);
    assert.equal(me.body.id, org.userId);
    const bogus = await ctx.call('GET', '/api/v1/users/me', undefined, undefined, withCookie('chs_not-a-session'));
    assert.equal(bogus.status, 401);
    const none = await ctx.call('GET', '/api/v1/users/me');
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'unauthenticated');
  });

  it('matches the email whatever its case', async () => {
    const email = uniqueEmail('Bruno');
    await ctx.signup({ email });
    const r = await login({ email: email.toUpperCase(), password: TEST_PASSWORD });
    assert.equal(r.status, 200);
  });

  it('answers 401 invalid_login for a wrong password or an unknown email, and sets no cookie', async () => {
    const email = uniqueEmail('carl');
    await ctx.signup({ email });
    const wrong = await login({ email, password: 'not the password' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'invalid_login');
    assert.equal(wrong.cookie, undefined);
    const unknown = await login({ email: uniqueEmail('nobody'), password: TEST_PASSWORD });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error.code, 'invalid_login');
  });

  it('ends the session on logout: the cookie no longer authenticates', async () => {
    const email = uniqueEmail('dana');
    await ctx.signup({ email });
    const r = await login({ email, password: TEST_PASSWORD });
    const out = await ctx.call('POST', '/api/v1/auth/logout', undefined, undefined, withCookie(r.cookie!.value));
    assert.equal(out.status, 204);
    assert.match(String(out.headers['set-cookie']), /chantier_session=;/, 'the cookie is cleared');
    const me = await ctx.call('GET', '/api/v1/users/me', undefined, undefined, withCookie(r.cookie!.value));
    assert.equal(me.status, 401);
    assert.equal(me.body.error.code, 'invalid_credentials');
  });

  it('revokes the bearer token used to log out, and only that one', async () => {
    const org = await ctx.signup();
    const other = await ctx.call('POST', '/api/v1/tokens', org.token, { name: 'other' });
    const out = await ctx.call('POST', '/api/v1/auth/logout', org.token);
    assert.equal(out.status, 204);
    assert.equal((await ctx.call('GET', '/api/v1/users/me', org.token)).status, 401);
    assert.equal((await ctx.call('GET', '/api/v1/users/me', other.body.token)).status, 200);
  });

  it('refuses a deactivated user', async () => {
    const org = await ctx.signup();
    const email = uniqueEmail('eve');
    const tech = await ctx.addUser(org, 'technician', { email });
    assert.equal((await login({ email, password: TEST_PASSWORD })).status, 200);
    await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, org.token, { active: false });
    const r = await login({ email, password: TEST_PASSWORD });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'invalid_login');
  });

  it('asks for orgId when the same email and password open accounts in two organizations', async () => {
    const email = uniqueEmail('felix');
    const a = await ctx.signup({ email });
    const b = await ctx.signup({ email: email.toUpperCase() });
    const r = await login({ email, password: TEST_PASSWORD });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'organization_required');
    assert.deepEqual([...r.body.error.details.organizations].sort(), [a.orgId, b.orgId].sort());
    assert.equal(r.cookie, undefined);
    const inB = await login({ email, password: TEST_PASSWORD, orgId: b.orgId });
    assert.equal(inB.status, 200);
    assert.equal(inB.body.user.orgId, b.orgId);
    const me = await ctx.call('GET', '/api/v1/users/me', undefined, undefined, withCookie(inB.cookie!.value));
    assert.equal(me.body.id, b.userId);
  });

  it('logs into the one organization whose password matches, without orgId', async () => {
    const email = uniqueEmail('gina');
    await ctx.signup({ email, password: 'first password' });
    const b = await ctx.signup({ email, password: 'second password' });
    const r = await login({ email, password: 'second password' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.user.id, b.userId);
  });

  it('answers invalid_login when orgId names an organization where the password does not match', async () => {
    const email = uniqueEmail('hugo');
    const a = await ctx.signup({ email, password: 'first password' });
    await ctx.signup({ email, password: 'second password' });
    const r = await login({ email, password: 'second password', orgId: a.orgId });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'invalid_login');
  });
});
