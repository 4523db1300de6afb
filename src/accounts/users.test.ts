import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, TEST_PASSWORD, type TestContext } from '../testing/harness.ts';
import { backendPid, waitForBlocked } from '../testing/pg-locks.ts';

const uniqueEmail = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}@example.com`;

describeEachStore('users', (store) => {
  let ctx: TestContext;
  before(async () => {
    ctx = await testContext(store);
  });
  after(() => ctx.close());

  const login = (email: string, password = TEST_PASSWORD) =>
    ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: '10.3.0.1' });

  it('lets an admin add a user who can then log in with the role given', async () => {
    const org = await ctx.signup();
    const email = uniqueEmail('tech');
    const r = await ctx.call('POST', '/api/v1/users', org.token, { name: 'Luc', email, password: TEST_PASSWORD, role: 'technician' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.role, 'technician');
    assert.equal(r.body.password, undefined);
    const res = await login(email);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().user.role, 'technician');
    const list = await ctx.call('GET', '/api/v1/users', org.token);
    assert.deepEqual(list.body.items.map((u: { id: string }) => u.id).sort(), [org.userId, r.body.id].sort());
  });

  it('refuses a new password shorter than 10 characters', async () => {
    const org = await ctx.signup();
    const r = await ctx.call('POST', '/api/v1/users', org.token, { name: 'Short', email: uniqueEmail('s'), password: 'short', role: 'dispatcher' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'password_too_short');
    const p = await ctx.call('PATCH', `/api/v1/users/${org.userId}`, org.token, { password: '123456789', currentPassword: TEST_PASSWORD });
    assert.equal(p.status, 400);
    assert.equal(p.body.error.code, 'password_too_short');
    assert.equal((await ctx.call('GET', '/api/v1/users', org.token)).body.items.length, 1);
  });

  it('revokes every session and token of a user who is deactivated, for good', async () => {
    const org = await ctx.signup();
    const email = uniqueEmail('gone');
    const tech = await ctx.addUser(org, 'technician', { email });
    const session = (await login(email)).cookies.find((c) => c.name === 'chantier_session')!.value;
    const off = await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, org.token, { active: false });
    assert.equal(off.status, 200);
    assert.equal(off.body.active, false);
    assert.equal((await ctx.call('GET', '/api/v1/users/me', tech.token)).status, 401);
    assert.equal((await ctx.call('GET', '/api/v1/users/me', session)).status, 401);
    // Reactivated, the user must log in again: the old credentials stay revoked.
    const on = await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, org.token, { active: true });
    assert.equal(on.status, 200);
    assert.equal((await ctx.call('GET', '/api/v1/users/me', tech.token)).status, 401);
    assert.equal((await ctx.call('GET', '/api/v1/users/me', session)).status, 401);
    assert.equal((await login(email)).statusCode, 200);
  });

  it('revokes the other credentials of a user who changes their password, keeping the one used', async () => {
    const org = await ctx.signup();
    const other = await ctx.call('POST', '/api/v1/tokens', org.token, { name: 'other' });
    const r = await ctx.call('PATCH', `/api/v1/users/${org.userId}`, org.token, { password: 'a brand new password', currentPassword: TEST_PASSWORD });
    assert.equal(r.status, 200);
    assert.equal((await ctx.call('GET', '/api/v1/users/me', org.token)).status, 200);
    assert.equal((await ctx.call('GET', '/api/v1/users/me', other.body.token)).status, 401);
  });

  it('keeps the last active admin: neither demoted nor deactivated (409 last_admin), nothing changed', async () => {
    const org = await ctx.signup();
    for (const body of [{ role: 'dispatcher' }, { active: false }]) {
      const r = await ctx.call('PATCH', `/api/v1/users/${org.userId}`, org.token, body);
      assert.equal(r.status, 409, JSON.stringify(body));
      assert.equal(r.body.error.code, 'last_admin');
    }
    const me = await ctx.call('GET', '/api/v1/users/me', org.token);
    assert.equal(me.body.role, 'admin');
    assert.equal(me.body.active, true);
    assert.equal(me.body.version, 1);
  });

  it('lets an admin step down once another active admin exists, but not an inactive one', async () => {
    const org = await ctx.signup();
    const email = uniqueEmail('second');
    const second = await ctx.addUser(org, 'admin', { email });
    await ctx.call('PATCH', `/api/v1/users/${second.userId}`, org.token, { active: false });
    const refused = await ctx.call('PATCH', `/api/v1/users/${org.userId}`, org.token, { role: 'dispatcher' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'last_admin');
    await ctx.call('PATCH', `/api/v1/users/${second.userId}`, org.token, { active: true });
    const ok = await ctx.call('PATCH', `/api/v1/users/${org.userId}`, org.token, { role: 'dispatcher' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.role, 'dispatcher');
    // Deactivation revoked the second admin's token: they log in again.
    const session = (await login(email)).cookies.find((c) => c.name === 'chantier_session')!.value;
    const back = await ctx.call('PATCH', `/api/v1/users/${second.userId}`, session, { role: 'technician' });
    assert.equal(back.status, 409, 'the remaining admin is now the last one');
  });

  it('keeps one admin when two admins demote each other at the same time', {
    skip: store === 'sqlite' && 'SQLite runs one write transaction at a time',
  }, async () => {
    const org = await ctx.signup();
    const peer = await ctx.addUser(org, 'admin');
    const db = ctx.deps.db.kysely;
    let both: Promise<Awaited<ReturnType<TestContext['call']>>[]> | undefined;
    // Hold both user rows so that both requests have made their check before either writes.
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('users').select('id').where('id', 'in', [org.userId, peer.userId]).forUpdate().execute();
      const pid = await backendPid(trx);
      both = Promise.all([
        ctx.call('PATCH', `/api/v1/users/${peer.userId}`, org.token, { role: 'technician' }),
        ctx.call('PATCH', `/api/v1/users/${org.userId}`, peer.token, { role: 'technician' }),
      ]);
      await waitForBlocked(db, pid, 2);
    });
    const replies = await both!;
    const [won, lost] = replies.sort((a, b) => a.status - b.status);
    assert.equal(won.status, 200, JSON.stringify(replies.map((r) => r.body)));
    assert.equal(lost.status, 409, JSON.stringify(lost.body));
    assert.equal(lost.body.error.code, 'last_admin');
    const admins = await db.selectFrom('users').select('id').where('org_id', '=', org.orgId).where('role', '=', 'admin').execute();
    assert.equal(admins.length, 1);
  });

  it('keeps an email unique within an organization whatever its case (409 email_taken)', async () => {
    const org = await ctx.signup();
    const email = uniqueEmail('Dup');
    await ctx.addUser(org, 'technician', { email });
    const r = await ctx.call('POST', '/api/v1/users', org.token, { name: 'Twin', email: email.toUpperCase(), password: TEST_PASSWORD, role: 'technician' });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'email_taken');
    const other = await ctx.addUser(org, 'dispatcher');
    const p = await ctx.call('PATCH', `/api/v1/users/${other.userId}`, org.token, { email: email.toLowerCase() });
    assert.equal(p.status, 409);
    assert.equal(p.body.error.code, 'email_taken');
    assert.equal((await ctx.call('GET', '/api/v1/users', org.token)).body.items.length, 3);
  });

  it('lets the same email exist in two organizations', async () => {
    const email = uniqueEmail('shared');
    const a = await ctx.signup({ email });
    const b = await ctx.signup();
    const r = await ctx.call('POST', '/api/v1/users', b.token, { name: 'Same', email, password: 'another password', role: 'dispatcher' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal((await ctx.call('GET', '/api/v1/users', a.token)).body.items.length, 1);
  });

  it('asks for the current password before a user changes their own email or password (400 / 403), nothing changed', async () => {
    const org = await ctx.signup();
    const email = uniqueEmail('self');
    const tech = await ctx.addUser(org, 'technician', { email });
    const other = await ctx.call('POST', '/api/v1/tokens', tech.token, { name: 'other' });
    for (const change of [{ password: 'a thief chose this' }, { email: uniqueEmail('thief') }]) {
      const missing = await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, tech.token, change);
      assert.equal(missing.status, 400, JSON.stringify(missing.body));
      assert.equal(missing.body.error.code, 'current_password_required');
      assert.equal(missing.body.error.details.field, 'currentPassword');
      const wrong = await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, tech.token, { ...change, currentPassword: 'a guessed password' });
      assert.equal(wrong.status, 403, JSON.stringify(wrong.body));
      assert.equal(wrong.body.error.code, 'current_password_wrong');
    }
    const me = await ctx.call('GET', '/api/v1/users/me', tech.token);
    assert.equal(me.body.email, email);
    assert.equal(me.body.version, 1);
    assert.equal((await login(email)).statusCode, 200, 'the password is unchanged');
    assert.equal((await ctx.call('GET', '/api/v1/users/me', other.body.token)).status, 200, 'no credential was revoked');

    const newEmail = uniqueEmail('moved');
    const ok = await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, tech.token, {
      email: newEmail,
      password: 'my own new password',
      currentPassword: TEST_PASSWORD,
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.email, newEmail);
    assert.equal((await login(newEmail, 'my own new password')).statusCode, 200);
    // The name needs no password; neither does an admin resetting another user's password or email.
    assert.equal((await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, tech.token, { name: 'Renamed' })).status, 200);
    const reset = await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, org.token, { password: 'reset by the admin', email });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    assert.equal((await login(email, 'reset by the admin')).statusCode, 200);
  });

  it('lets a user change their own name but not their role', async () => {
    const org = await ctx.signup();
    const tech = await ctx.addUser(org, 'technician');
    const ok = await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, tech.token, { name: 'Renamed' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.name, 'Renamed');
    const r = await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, tech.token, { role: 'admin' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'role_not_allowed');
    assert.equal((await ctx.call('GET', '/api/v1/users/me', tech.token)).body.role, 'technician');
  });

  it('answers 409 stale_version for an edit made on an old version', async () => {
    const org = await ctx.signup();
    const tech = await ctx.addUser(org, 'technician');
    await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, org.token, { name: 'First', version: 1 });
    const r = await ctx.call('PATCH', `/api/v1/users/${tech.userId}`, org.token, { name: 'Second', version: 1 });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'stale_version');
    assert.equal((await ctx.call('GET', `/api/v1/users/${tech.userId}`, org.token)).body.name, 'First');
  });
});
