import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ok, world, type World } from '../consolidation/testkit.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';

describeEachStore('automation rules API', (store) => {
  let ctx: TestContext;
  let w: World;
  let other: World;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    other = await world(ctx);
  });
  after(() => ctx.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, token = w.org.token) => ctx.call(method, `/api/v1${url}`, token, body);
  const transitionRule = (overrides: Record<string, unknown> = {}) => ({
    name: 'Start the parent',
    trigger: { type: 'status_entered', status: 'in_progress', taskTypeIds: [w.workTypeId] },
    conditions: { hasParent: true },
    actions: [{ type: 'transition_task', task: 'parent', to: 'in_progress' }],
    ...overrides,
  });
  const create = async (body: Record<string, unknown>) => {
    const r = await api('POST', '/automations', body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const history = async (id: string) => (await ok(w, 'GET', `/api/v1/automations/${id}/history`)).items;

  it('gives a new organization the two rules of the founding document, disabled', async () => {
    const fresh = await world(ctx);
    const rules = (await ok(fresh, 'GET', '/api/v1/automations')).items;
    assert.deepEqual(
      rules.map((r: { key: string; name: string; enabled: boolean }) => [r.key, r.name, r.enabled]),
      [
        ['consolidate_by_project', 'Consolidate by project', false],
        ['progressive_billing', 'Progressive billing', false],
      ],
    );
    const progressive = rules[1];
    assert.deepEqual(progressive.actions[0], { id: 'consolidate', type: 'consolidate', target: 'client_open_invoice', invoiceTypeId: fresh.invoiceTypeId });
  });

  it('enables and disables a rule in one call each, recording who did it', async () => {
    const on = await api('POST', `/automations/${w.rules.byProject}/enable`);
    assert.equal(on.status, 200);
    assert.equal(on.body.enabled, true);
    assert.equal((await ok(w, 'GET', `/api/v1/automations/${w.rules.byProject}`)).enabled, true);
    const off = await api('POST', `/automations/${w.rules.byProject}/disable`);
    assert.equal(off.body.enabled, false);
    assert.equal(off.body.version, on.body.version + 1);
    const h = await history(w.rules.byProject);
    assert.deepEqual(
      h.map((e: { change: string }) => e.change),
      ['enabled', 'disabled'],
    );
    assert.deepEqual(
      h.map((e: { before: { enabled: boolean }; after: { enabled: boolean } }) => [e.before.enabled, e.after.enabled]),
      [
        [false, true],
        [true, false],
      ],
    );
    assert.ok(h.every((e: { userId: string }) => e.userId === w.org.userId));
  });

  it('creates, patches, duplicates and deletes a rule, keeping every change with before and after', async () => {
    const rule = await create(transitionRule());
    assert.equal(rule.enabled, false);
    assert.equal(rule.key, null);
    assert.equal(rule.actions[0].id, '1-transition_task');
    const patched = await api('PATCH', `/automations/${rule.id}`, { name: 'Start the main task', version: rule.version });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.name, 'Start the main task');
    assert.deepEqual(patched.body.trigger, rule.trigger);

    const copy = await api('POST', `/automations/${rule.id}/duplicate`);
    assert.equal(copy.status, 201);
    assert.notEqual(copy.body.id, rule.id);
    assert.equal(copy.body.name, 'Start the main task (copy)');
    assert.equal(copy.body.enabled, false);
    assert.deepEqual([copy.body.trigger, copy.body.conditions, copy.body.actions], [patched.body.trigger, patched.body.conditions, patched.body.actions]);
    assert.ok(copy.body.position > patched.body.position);
    // A copy of an enabled rule still starts disabled.
    await ok(w, 'POST', `/api/v1/automations/${rule.id}/enable`);
    assert.equal((await ok(w, 'POST', `/api/v1/automations/${rule.id}/duplicate`)).enabled, false);

    assert.equal((await api('DELETE', `/automations/${rule.id}`)).status, 204);
    assert.equal((await api('GET', `/automations/${rule.id}`)).status, 404);
    const h = await history(rule.id);
    assert.deepEqual(
      h.map((e: { change: string }) => e.change),
      ['created', 'updated', 'enabled', 'deleted'],
    );
    assert.equal(h[0].before, null);
    assert.equal(h[0].after.name, 'Start the parent');
    assert.deepEqual([h[1].before.name, h[1].after.name], ['Start the parent', 'Start the main task']);
    assert.equal(h[3].before.enabled, true);
    assert.equal(h[3].after, null);
    assert.ok(h.every((e: { userId: string }) => e.userId === w.org.userId));
    const copyHistory = await history(copy.body.id);
    assert.deepEqual(
      copyHistory.map((e: { change: string }) => e.change),
      ['created'],
    );
  });

  it('refuses a trigger with both status and category, or with neither', async () => {
    const before = (await ok(w, 'GET', '/api/v1/automations')).items.length;
    for (const trigger of [
      { type: 'status_entered', status: 'completed', category: 'done' },
      { type: 'status_entered' },
      { type: 'status_entered', taskTypeIds: [w.workTypeId] },
    ]) {
      const r = await api('POST', '/automations', transitionRule({ trigger }));
      assert.equal(r.status, 400, JSON.stringify(trigger));
      assert.equal(r.body.error.code, 'validation_failed');
    }
    const rule = await create(transitionRule());
    const r = await api('PATCH', `/automations/${rule.id}`, { trigger: { type: 'status_entered', status: 'completed', category: 'done' } });
    assert.equal(r.status, 400);
    assert.deepEqual((await ok(w, 'GET', `/api/v1/automations/${rule.id}`)).trigger, rule.trigger);
    assert.equal((await ok(w, 'GET', '/api/v1/automations')).items.length, before + 1);
  });

  it('refuses an unknown action type', async () => {
    const r = await api('POST', '/automations', transitionRule({ actions: [{ type: 'send_fax', to: '555-0100' }] }));
    assert.equal(r.status, 400);
    assert.equal(r.body.error.type, 'invalid');
  });

  it('refuses client_open_invoice without an invoice type, or with a type that does not bill', async () => {
    const consolidate = (extra: Record<string, unknown>) =>
      transitionRule({ trigger: { type: 'status_entered', category: 'done' }, actions: [{ type: 'consolidate', target: 'client_open_invoice', ...extra }] });
    const missing = await api('POST', '/automations', consolidate({}));
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'invoice_type_required');
    const notBilling = await api('POST', '/automations', consolidate({ invoiceTypeId: w.workTypeId }));
    assert.equal(notBilling.status, 400);
    assert.equal(notBilling.body.error.code, 'invoice_type_not_billing');
    const foreign = await api('POST', '/automations', consolidate({ invoiceTypeId: other.invoiceTypeId }));
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.error.code, 'task_type_not_found');
    const patch = await api('PATCH', `/automations/${w.rules.progressive}`, { actions: [{ type: 'consolidate', target: 'client_open_invoice' }] });
    assert.equal(patch.status, 400);
    assert.equal(patch.body.error.code, 'invoice_type_required');
    assert.equal((await ok(w, 'GET', `/api/v1/automations/${w.rules.progressive}`)).actions[0].invoiceTypeId, w.invoiceTypeId);
  });

  it("refuses a rule naming another organization's task type", async () => {
    for (const body of [
      transitionRule({ trigger: { type: 'status_entered', status: 'in_progress', taskTypeIds: [other.workTypeId] } }),
      transitionRule({ conditions: { taskTypeIds: [other.workTypeId] } }),
      transitionRule({ conditions: { parentTypeIds: [w.workTypeId, other.invoiceTypeId] } }),
    ]) {
      const r = await api('POST', '/automations', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'task_type_not_found');
    }
  });

  it('lets only admins manage rules', async () => {
    const dispatcher = await ctx.addUser(w.org, 'dispatcher');
    const technician = await ctx.addUser(w.org, 'technician');
    for (const token of [dispatcher.token, technician.token]) {
      for (const [method, url, body] of [
        ['GET', '/automations'],
        ['POST', '/automations', transitionRule()],
        ['POST', `/automations/${w.rules.byProject}/enable`],
        ['PATCH', `/automations/${w.rules.byProject}`, { name: 'x' }],
        ['DELETE', `/automations/${w.rules.byProject}`],
        ['GET', `/automations/${w.rules.byProject}/history`],
      ] as const) {
        const r = await api(method, url, body, token);
        assert.equal(r.status, 403, `${method} ${url}`);
      }
    }
    const rule = await ok(w, 'GET', `/api/v1/automations/${w.rules.byProject}`);
    assert.equal(rule.name, 'Consolidate by project');
  });

  it('answers 409 stale_version to an edit based on an old version, and changes nothing', async () => {
    const rule = await create(transitionRule({ name: 'Versioned' }));
    await ok(w, 'PATCH', `/api/v1/automations/${rule.id}`, { name: 'Versioned 2', version: rule.version });
    const stale = await api('PATCH', `/automations/${rule.id}`, { name: 'Versioned 3', version: rule.version });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'stale_version');
    assert.equal(stale.body.error.details.currentVersion, rule.version + 1);
    assert.equal((await ok(w, 'GET', `/api/v1/automations/${rule.id}`)).name, 'Versioned 2');
    assert.equal((await history(rule.id)).length, 2);
  });

  it("answers 404 for another organization's rule, whatever the verb, and leaves it alone", async () => {
    const theirs = other.rules.byProject;
    for (const [method, url, body] of [
      ['GET', `/automations/${theirs}`],
      ['PATCH', `/automations/${theirs}`, { name: 'mine now' }],
      ['POST', `/automations/${theirs}/enable`],
      ['POST', `/automations/${theirs}/disable`],
      ['POST', `/automations/${theirs}/duplicate`],
      ['GET', `/automations/${theirs}/history`],
      ['DELETE', `/automations/${theirs}`],
    ] as const) {
      const r = await api(method, url, body);
      assert.equal(r.status, 404, `${method} ${url}`);
      assert.equal(r.body.error.code, 'automation_not_found');
    }
    const rule = await ok(other, 'GET', `/api/v1/automations/${theirs}`);
    assert.deepEqual([rule.name, rule.enabled, rule.version], ['Consolidate by project', false, 1]);
    assert.equal((await ok(other, 'GET', `/api/v1/automations/${theirs}/history`)).items.length, 0);
  });
});
