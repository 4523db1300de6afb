import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, fixedClock, testContext, TEST_PASSWORD, type TestContext } from '../testing/harness.ts';
import { LOGIN_WINDOW_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from './rate-limit.ts';

const uniqueEmail = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}@example.com`;

describeEachStore('login rate limiting', (store) => {
  let ctx: TestContext;
  const clock = fixedClock();
  let net = 0;
  before(async () => {
    ctx = await testContext(store, { clock });
  });
  after(() => ctx.close());

  const login = async (body: Record<string, unknown>, ip: string) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body, remoteAddress: ip });
    return { status: res.statusCode, body: res.json(), headers: res.headers, cookie: res.cookies.find((c) => c.name === 'chantier_session') };
  };
  const newAddress = () => `10.2.${++net}.1`;

  it('refuses the 6th attempt after 5 failures for an account, even with the right password', async () => {
    const email = uniqueEmail('ana');
    await ctx.signup({ email });
    assert.equal(MAX_FAILURES_PER_ACCOUNT, 5);
    // From different addresses: the account limit alone must apply.
    for (let i = 0; i < 5; i++) {
      const r = await login({ email, password: `wrong ${i}` }, newAddress());
      assert.equal(r.status, 401, `attempt ${i + 1}`);
    }
    const r = await login({ email, password: TEST_PASSWORD }, newAddress());
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, 'too_many_login_attempts');
    assert.ok(r.body.error.details.retryAfterSeconds > 0 && r.body.error.details.retryAfterSeconds <= 15 * 60);
    assert.equal(r.headers['retry-after'], String(r.body.error.details.retryAfterSeconds), 'Retry-After says when to come back');
    assert.equal(r.cookie, undefined);
    const sessions = await ctx.deps.db.kysely.selectFrom('sessions').select('id').where('kind', '=', 'session').execute();
    assert.equal(sessions.length, 0, 'no session was opened');
  });

  it('does not count the limit of one account against another', async () => {
    const locked = uniqueEmail('bob');
    const other = uniqueEmail('cat');
    await ctx.signup({ email: locked });
    await ctx.signup({ email: other });
    for (let i = 0; i < 6; i++) await login({ email: locked, password: 'wrong password' }, newAddress());
    assert.equal((await login({ email: locked, password: TEST_PASSWORD }, newAddress())).status, 429);
    assert.equal((await login({ email: other, password: TEST_PASSWORD }, newAddress())).status, 200);
  });

  it('counts the email whatever its case', async () => {
    const email = uniqueEmail('dan');
    await ctx.signup({ email });
    for (let i = 0; i < 5; i++) await login({ email: i % 2 ? email.toUpperCase() : email, password: 'wrong password' }, newAddress());
    assert.equal((await login({ email, password: TEST_PASSWORD }, newAddress())).status, 429);
  });

  it('lets the account in again once the 15-minute window has passed', async () => {
    const email = uniqueEmail('eli');
    await ctx.signup({ email });
    for (let i = 0; i < 5; i++) await login({ email, password: 'wrong password' }, newAddress());
    assert.equal((await login({ email, password: TEST_PASSWORD }, newAddress())).status, 429);
    clock.advance(LOGIN_WINDOW_MS - 1000);
    assert.equal((await login({ email, password: TEST_PASSWORD }, newAddress())).status, 429, 'still inside the window');
    clock.advance(2000);
    const r = await login({ email, password: TEST_PASSWORD }, newAddress());
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.cookie);
  });

  it('forgets the failures of an account after a successful login', async () => {
    const email = uniqueEmail('fay');
    await ctx.signup({ email });
    for (let i = 0; i < 4; i++) await login({ email, password: 'wrong password' }, newAddress());
    assert.equal((await login({ email, password: TEST_PASSWORD }, newAddress())).status, 200);
    for (let i = 0; i < 4; i++) await login({ email, password: 'wrong password' }, newAddress());
    assert.equal((await login({ email, password: TEST_PASSWORD }, newAddress())).status, 200, 'the count started again');
  });

  it('refuses every account from an address that failed too often, until the window passes', async () => {
    const ip = newAddress();
    const victim = uniqueEmail('gus');
    await ctx.signup({ email: victim });
    // Spread over many accounts so that no account limit is reached.
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
      const r = await login({ email: uniqueEmail(`probe${i}`), password: 'guess' }, ip);
      assert.equal(r.status, 401, `attempt ${i + 1}`);
    }
    const r = await login({ email: victim, password: TEST_PASSWORD }, ip);
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, 'too_many_login_attempts');
    assert.equal((await login({ email: victim, password: TEST_PASSWORD }, newAddress())).status, 200, 'another address is not limited');
    clock.advance(LOGIN_WINDOW_MS + 1000);
    assert.equal((await login({ email: victim, password: TEST_PASSWORD }, ip)).status, 200);
  });

  it('keeps no trace of accounts and addresses whose window has passed', async () => {
    const email = uniqueEmail('ida');
    const ip = newAddress();
    await login({ email, password: 'wrong password' }, ip);
    const keys = () =>
      ctx.deps.db.kysely
        .selectFrom('login_failures')
        .select('key')
        .where('key', 'in', [`email:${email}`, `ip:${ip}`])
        .execute();
    assert.equal((await keys()).length, 2);
    clock.advance(LOGIN_WINDOW_MS + 1000);
    await login({ email: uniqueEmail('joe'), password: 'wrong password' }, newAddress());
    assert.deepEqual(await keys(), []);
  });

  it('starts a new window for failures after the old one has passed', async () => {
    const email = uniqueEmail('hal');
    await ctx.signup({ email });
    for (let i = 0; i < 4; i++) await login({ email, password: 'wrong password' }, newAddress());
    clock.advance(LOGIN_WINDOW_MS + 1000);
    // 4 old failures are forgotten: 4 new ones still leave room for a fifth attempt.
    for (let i = 0; i < 4; i++) assert.equal((await login({ email, password: 'wrong password' }, newAddress())).status, 401);
    assert.equal((await login({ email, password: TEST_PASSWORD }, newAddress())).status, 200);
  });

  it('lets only 5 of many simultaneous wrong guesses for one account be checked', async () => {
    const email = uniqueEmail('ivy');
    await ctx.signup({ email });
    const replies = await Promise.all(Array.from({ length: 12 }, () => login({ email, password: 'wrong password' }, newAddress())));
    const counts = { 401: 0, 429: 0 };
    for (const r of replies) counts[r.status as 401 | 429] += 1;
    assert.deepEqual(counts, { 401: MAX_FAILURES_PER_ACCOUNT, 429: 12 - MAX_FAILURES_PER_ACCOUNT });
    assert.equal((await login({ email, password: TEST_PASSWORD }, newAddress())).status, 429);
  });

  it('counts only failures against an address, not successful logins', async () => {
    const ip = newAddress();
    const email = uniqueEmail('jo');
    await ctx.signup({ email });
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS - 1; i++) await login({ email: uniqueEmail(`probe${i}`), password: 'guess' }, ip);
    for (let i = 0; i < 3; i++) assert.equal((await login({ email, password: TEST_PASSWORD }, ip)).status, 200);
    assert.equal((await login({ email: uniqueEmail('last'), password: 'guess' }, ip)).status, 401, 'the 30th failure is still checked');
    assert.equal((await login({ email, password: TEST_PASSWORD }, ip)).status, 429);
  });
});
