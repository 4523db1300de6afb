import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, TEST_PASSWORD, type TestContext } from '../testing/harness.ts';

describeEachStore('signup', (store) => {
  let ctx: TestContext;
  before(async () => {
    ctx = await testContext(store);
  });
  after(() => ctx.close());

  const body = (o: Record<string, unknown> = {}) => ({
    orgName: 'Pavage Tremblay',
    name: 'Marie Tremblay',
    email: `marie-${Math.random().toString(36).slice(2, 8)}@example.com`,
    password: TEST_PASSWORD,
    ...o,
  });

  it('creates the organization and its admin, and the token it returns works', async () => {
    const input = body({ locale: 'en-CA' });
    const r = await ctx.call('POST', '/api/v1/signup', undefined, input);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.organization.name, 'Pavage Tremblay');
    assert.equal(r.body.organization.locale, 'en-CA');
    assert.equal(r.body.organization.currency, 'CAD');
    assert.equal(r.body.user.role, 'admin');
    assert.match(r.body.token, /^cht_/);
    const me = await ctx.call('GET', '/api/v1/users/me', r.body.token);
    assert.equal(me.status, 200);
    assert.equal(me.body.id, r.body.user.id);
    assert.equal(me.body.email, input.email);
    assert.equal(me.body.role, 'admin');
    assert.equal(me.body.active, true);
  });

  it('gives the organization the task types work and invoice, each with its workflow', async () => {
    const org = await ctx.signup({ locale: 'fr-CA' });
    const r = await ctx.call('GET', '/api/v1/task-types', org.token);
    assert.equal(r.status, 200);
    const byKey = new Map(r.body.items.map((t: { key: string }) => [t.key, t]));
    assert.deepEqual([...byKey.keys()].sort(), ['invoice', 'work']);
    const work: any = byKey.get('work');
    assert.equal(work.prefix, 'T');
    assert.equal(work.billing, false);
    assert.equal(work.workflow.initial, 'todo');
    assert.deepEqual(
      work.workflow.statuses.map((s: { key: string }) => s.key),
      ['todo', 'scheduled', 'in_progress', 'completed', 'cancelled'],
    );
    assert.ok(work.workflow.transitions.some((t: { from: string; to: string }) => t.from === 'in_progress' && t.to === 'completed'));
    const invoice: any = byKey.get('invoice');
    assert.equal(invoice.prefix, 'FAC');
    assert.equal(invoice.billing, true);
    assert.equal(invoice.workflow.initial, 'open');
    assert.deepEqual(
      invoice.workflow.statuses.map((s: { key: string }) => s.key),
      ['open', 'closed', 'sent', 'paid', 'cancelled'],
    );
  });

  it('names the invoice prefix INV for an English organization', async () => {
    const org = await ctx.signup({ locale: 'en-CA' });
    const r = await ctx.call('GET', '/api/v1/task-types', org.token);
    assert.equal(r.body.items.find((t: { key: string }) => t.key === 'invoice').prefix, 'INV');
  });

  it('keeps each organization to its own task types', async () => {
    const a = await ctx.signup();
    const b = await ctx.signup();
    const ta = await ctx.call('GET', '/api/v1/task-types', a.token);
    const tb = await ctx.call('GET', '/api/v1/task-types', b.token);
    const idsA = new Set(ta.body.items.map((t: { id: string }) => t.id));
    assert.equal(tb.body.items.length, 2);
    assert.ok(tb.body.items.every((t: { id: string }) => !idsA.has(t.id)));
  });

  it(`refuses a password shorter than 10 characters with password_too_short, and creates nothing`, async () => {
    const input = body({ password: '123456789' });
    const r = await ctx.call('POST', '/api/v1/signup', undefined, input);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'password_too_short');
    assert.equal(r.body.error.details.minLength, 10);
    const login = await ctx.call('POST', '/api/v1/auth/login', undefined, { email: input.email, password: input.password });
    assert.equal(login.status, 401);
    const ok = await ctx.call('POST', '/api/v1/signup', undefined, { ...input, password: '1234567890' });
    assert.equal(ok.status, 201, 'ten characters are enough');
  });

  it('refuses a body with an unknown field', async () => {
    const r = await ctx.call('POST', '/api/v1/signup', undefined, body({ plan: 'pro' }));
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'validation_failed');
    assert.equal(r.body.error.details.fields[0].path, 'body.plan');
  });
});

describeEachStore('signup when closed', (store) => {
  let ctx: TestContext;
  before(async () => {
    ctx = await testContext(store, { config: { signup: 'closed' } });
  });
  after(() => ctx.close());

  it('answers 403 signup_closed and creates no organization', async () => {
    const email = 'nobody@example.com';
    const r = await ctx.call('POST', '/api/v1/signup', undefined, { orgName: 'X', name: 'Y', email, password: TEST_PASSWORD });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'signup_closed');
    const orgs = await ctx.deps.db.kysely.selectFrom('organizations').select('id').execute();
    assert.equal(orgs.length, 0);
    const users = await ctx.deps.db.kysely.selectFrom('users').select('id').execute();
    assert.equal(users.length, 0);
  });
});
