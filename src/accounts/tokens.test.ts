import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, fixedClock, testContext, type Org, type TestContext } from '../testing/harness.ts';

const DAY_MS = 86_400_000;

describeEachStore('personal API tokens', (store) => {
  let ctx: TestContext;
  const clock = fixedClock();
  before(async () => {
    ctx = await testContext(store, { clock });
  });
  after(() => ctx.close());

  const createToken = async (org: Org, body: Record<string, unknown>) => {
    const r = await ctx.call('POST', '/api/v1/tokens', org.token, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };

  it('shows the secret once, when created; the list never shows it', async () => {
    const org = await ctx.signup();
    const created = await createToken(org, { name: 'accounting export' });
    assert.match(created.token, /^cht_[A-Za-z0-9_-]{40,}$/);
    assert.equal(created.name, 'accounting export');
    assert.equal(created.prefix, created.token.slice(0, 10));
    assert.equal(created.expiresAt, null);
    assert.equal(created.revokedAt, null);
    const me = await ctx.call('GET', '/api/v1/users/me', created.token);
    assert.equal(me.status, 200);
    assert.equal(me.body.id, org.userId);
    const list = await ctx.call('GET', '/api/v1/tokens', org.token);
    assert.equal(list.status, 200);
    const listed = list.body.items.find((t: { id: string }) => t.id === created.id);
    assert.ok(listed);
    assert.equal(listed.prefix, created.prefix);
    assert.equal(listed.token, undefined);
    assert.ok(!JSON.stringify(list.body).includes(created.token), 'no secret in the list');
    assert.ok(listed.lastUsedAt, 'the use just made is recorded');
  });

  it('stores only a hash of the secret', async () => {
    const org = await ctx.signup();
    const created = await createToken(org, { name: 'hashed' });
    const row = await ctx.deps.db.kysely.selectFrom('sessions').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.ok(!Object.values(row).some((v) => typeof v === 'string' && v.includes(created.token.slice(10))));
  });

  it('lists only the caller’s own tokens, even for an admin', async () => {
    const org = await ctx.signup();
    const dispatcher = await ctx.addUser(org, 'dispatcher');
    const theirs = await createToken(dispatcher, { name: 'theirs' });
    const list = await ctx.call('GET', '/api/v1/tokens', org.token);
    assert.ok(list.body.items.every((t: { id: string }) => t.id !== theirs.id));
    const del = await ctx.call('DELETE', `/api/v1/tokens/${theirs.id}`, org.token);
    assert.equal(del.status, 404, 'an admin cannot revoke another user’s token');
    assert.equal((await ctx.call('GET', '/api/v1/users/me', theirs.token)).status, 200);
  });

  it('answers 401 for a revoked token, and shows it revoked in the list', async () => {
    const org = await ctx.signup();
    const created = await createToken(org, { name: 'to revoke' });
    const del = await ctx.call('DELETE', `/api/v1/tokens/${created.id}`, org.token);
    assert.equal(del.status, 204);
    const r = await ctx.call('GET', '/api/v1/users/me', created.token);
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'invalid_credentials');
    const list = await ctx.call('GET', '/api/v1/tokens', org.token);
    assert.ok(list.body.items.find((t: { id: string }) => t.id === created.id).revokedAt);
    const again = await ctx.call('DELETE', `/api/v1/tokens/${created.id}`, org.token);
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, 'token_not_found');
  });

  it('answers 401 once a token is past its expiry', async () => {
    const org = await ctx.signup();
    const created = await createToken(org, { name: 'short', expiresInDays: 2 });
    assert.equal(created.expiresAt, new Date(clock.now().getTime() + 2 * DAY_MS).toISOString());
    clock.advance(2 * DAY_MS - 60_000);
    assert.equal((await ctx.call('GET', '/api/v1/users/me', created.token)).status, 200, 'still valid a minute before');
    clock.advance(60_000);
    const r = await ctx.call('GET', '/api/v1/users/me', created.token);
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'invalid_credentials');
    assert.equal((await ctx.call('GET', '/api/v1/users/me', org.token)).status, 200, 'a token without expiry still works');
  });

  it('refuses a token name that is empty or a lifetime out of range', async () => {
    const org = await ctx.signup();
    for (const body of [{ name: '' }, { name: 'x', expiresInDays: 0 }, { name: 'x', expiresInDays: 1.5 }, { name: 'x', secret: 'mine' }]) {
      const r = await ctx.call('POST', '/api/v1/tokens', org.token, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'validation_failed');
    }
    const list = await ctx.call('GET', '/api/v1/tokens', org.token);
    assert.equal(list.body.items.length, 1, 'only the signup token');
  });
});
