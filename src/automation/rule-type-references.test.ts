import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { world, type World } from '../consolidation/testkit.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';

const label = (x: string) => ({ fr: x, en: x });

describeEachStore('task types named by automation rules', (store) => {
  let ctx: TestContext;
  let w: World;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
  });
  after(() => ctx.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => ctx.call(method, `/api/v1${url}`, w.org.token, body);
  let n = 0;
  const newType = async () => {
    n += 1;
    const r = await api('POST', '/task-types', {
      key: `survey${n}`,
      label: label(`Survey ${n}`),
      prefix: `S${n}`,
      workflow: {
        initial: 'new',
        statuses: [
          { key: 'new', label: label('New'), category: 'open' },
          { key: 'done', label: label('Done'), category: 'done' },
        ],
        transitions: [{ from: 'new', to: 'done' }],
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const newRule = async (body: Record<string, unknown>) => {
    const r = await api('POST', '/automations', { enabled: true, ...body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as { id: string; name: string };
  };
  const typeExists = async (id: string) => (await api('GET', `/task-types/${id}`)).status === 200;

  it('refuses to delete a task type that enabled rules name, with 409 naming each rule', async () => {
    const typeId = await newType();
    const byTrigger = await newRule({
      name: 'Start the parent of a survey',
      trigger: { type: 'status_entered', status: 'done', taskTypeIds: [typeId] },
      actions: [{ type: 'transition_task', task: 'parent', to: 'in_progress' }],
    });
    const byAction = await newRule({
      name: 'Follow-up survey',
      trigger: { type: 'status_entered', status: 'completed', taskTypeIds: [w.workTypeId] },
      actions: [{ type: 'create_task', typeId, title: 'Follow-up' }],
    });
    await newRule({
      name: 'Disabled one',
      enabled: false,
      trigger: { type: 'status_entered', status: 'done', taskTypeIds: [typeId] },
      actions: [{ type: 'transition_task', task: 'parent', to: 'in_progress' }],
    });
    const r = await api('DELETE', `/task-types/${typeId}`);
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'task_type_used_by_rules');
    assert.deepEqual(
      r.body.error.details.rules,
      [
        { id: byTrigger.id, name: byTrigger.name },
        { id: byAction.id, name: byAction.name },
      ],
      'only the enabled rules, in their order',
    );
    assert.match(r.body.error.message, /Start the parent of a survey.*Follow-up survey/);
    assert.ok(await typeExists(typeId), 'the type is still there');

    // Disabled, the rules no longer hold the type.
    for (const rule of [byTrigger, byAction]) assert.equal((await api('POST', `/automations/${rule.id}/disable`)).status, 200);
    assert.equal((await api('DELETE', `/task-types/${typeId}`)).status, 204);
    assert.equal(await typeExists(typeId), false);

    // A rule that names a type that is gone can still be disabled again, but not enabled.
    assert.equal((await api('POST', `/automations/${byTrigger.id}/disable`)).status, 200);
    const on = await api('POST', `/automations/${byTrigger.id}/enable`);
    assert.equal(on.status, 400);
    assert.equal(on.body.error.code, 'task_type_not_found');
  });

  it('disables an enabled rule even when the task type it names is gone (a rule saved before this check)', async () => {
    const typeId = await newType();
    const rule = await newRule({
      name: 'Names a type that will vanish',
      trigger: { type: 'status_entered', status: 'done', taskTypeIds: [typeId] },
      conditions: { parentTypeIds: [typeId] },
      actions: [{ type: 'transition_task', task: 'parent', to: 'in_progress' }],
    });
    // As an older server allowed: the type deleted under an enabled rule.
    await ctx.deps.db.kysely.deleteFrom('task_types').where('id', '=', typeId).execute();
    const off = await api('POST', `/automations/${rule.id}/disable`);
    assert.equal(off.status, 200, JSON.stringify(off.body));
    assert.equal(off.body.enabled, false);
  });

  it('still deletes a task type that no rule names', async () => {
    const typeId = await newType();
    assert.equal((await api('DELETE', `/task-types/${typeId}`)).status, 204);
  });
});
