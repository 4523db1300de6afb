import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Executor } from '../db/index.ts';
import type { TransitionEvent } from '../tasks/index.ts';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { backendPid, waitForBlocked } from '../testing/pg-locks.ts';

const status = (key: string, category: string) => ({ key, label: { fr: key, en: key }, category });
const inspection = () => ({
  initial: 'requested',
  statuses: [status('requested', 'open'), status('booked', 'open'), status('on_site', 'active'), status('passed', 'done'), status('failed', 'done')],
  transitions: [
    { from: 'requested', to: 'booked' },
    { from: 'booked', to: 'on_site' },
    { from: 'on_site', to: 'passed' },
    { from: 'on_site', to: 'failed' },
  ],
});

describeEachStore('task types', (store) => {
  let ctx: TestContext;
  let org: Org;
  let n = 0;
  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
  });
  after(() => ctx.close());

  const create = (o: Record<string, unknown> = {}) =>
    ctx.call('POST', '/api/v1/task-types', org.token, {
      key: `inspection-${++n}`,
      label: { fr: 'Inspection', en: 'Inspection' },
      prefix: 'INS',
      workflow: inspection(),
      ...o,
    });
  const typeCount = async () => (await ctx.call('GET', '/api/v1/task-types', org.token)).body.items.length;

  it('creates a custom type whose workflow new tasks then follow', async () => {
    const r = await create({ billing: false });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(r.body.workflow, inspection());
    assert.equal(r.body.version, 1);
    const got = await ctx.call('GET', `/api/v1/task-types/${r.body.id}`, org.token);
    assert.deepEqual(got.body, r.body);
    const task = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: r.body.id, title: 'Inspect the culvert' });
    assert.equal(task.status, 201);
    assert.equal(task.body.status, 'requested');
    assert.match(task.body.displayNumber, /^INS-\d+$/);
    const skip = await ctx.call('POST', `/api/v1/tasks/${task.body.id}/transitions`, org.token, { to: 'on_site' });
    assert.equal(skip.status, 409);
    assert.deepEqual(skip.body.error.details.allowed, ['booked']);
  });

  it('refuses a second type with the same key (409 task_type_key_taken)', async () => {
    const first = await create();
    const before = await typeCount();
    const r = await create({ key: first.body.key });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'task_type_key_taken');
    assert.equal(await typeCount(), before);
  });

  const broken: [string, (w: ReturnType<typeof inspection>) => void][] = [
    ['a transition names an unknown status', (w) => w.transitions.push({ from: 'booked', to: 'nowhere' })],
    ['a transition starts from an unknown status', (w) => w.transitions.push({ from: 'limbo', to: 'booked' })],
    ['a status key appears twice', (w) => w.statuses.push(status('booked', 'active'))],
    ['the initial status is not a status', (w) => (w.initial = 'draft')],
    ['a transition goes nowhere', (w) => w.transitions.push({ from: 'booked', to: 'booked' })],
    ['a transition appears twice', (w) => w.transitions.push({ from: 'requested', to: 'booked' })],
  ];
  for (const [what, breakIt] of broken) {
    it(`refuses a workflow where ${what} (400 workflow_invalid), on create and on edit`, async () => {
      const w = inspection();
      breakIt(w);
      const before = await typeCount();
      const r = await create({ workflow: w });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'workflow_invalid');
      assert.match(r.body.error.details.field, /^workflow\./);
      assert.equal(await typeCount(), before);
      const ok = await create();
      const e = await ctx.call('PATCH', `/api/v1/task-types/${ok.body.id}`, org.token, { workflow: w });
      assert.equal(e.status, 400);
      assert.equal(e.body.error.code, 'workflow_invalid');
      const after = await ctx.call('GET', `/api/v1/task-types/${ok.body.id}`, org.token);
      assert.deepEqual(after.body.workflow, inspection());
      assert.equal(after.body.version, 1);
    });
  }

  it('refuses removing a status that a task holds (409 status_in_use), changing nothing', async () => {
    const type = (await create()).body;
    const task = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: type.id, title: 'Booked one' })).body;
    await ctx.call('POST', `/api/v1/tasks/${task.id}/transitions`, org.token, { to: 'booked' });
    const w = inspection();
    w.statuses = w.statuses.filter((s) => s.key !== 'booked');
    w.transitions = [{ from: 'requested', to: 'on_site' }, ...w.transitions.filter((t) => t.from !== 'booked' && t.to !== 'booked')];
    const r = await ctx.call('PATCH', `/api/v1/task-types/${type.id}`, org.token, { workflow: w, label: { fr: 'Autre', en: 'Other' } });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'status_in_use');
    assert.deepEqual(r.body.error.details.statuses, [{ key: 'booked', tasks: 1 }]);
    const after = await ctx.call('GET', `/api/v1/task-types/${type.id}`, org.token);
    assert.deepEqual(after.body, type);
    const t = await ctx.call('GET', `/api/v1/tasks/${task.id}`, org.token);
    assert.equal(t.body.status, 'booked');
    assert.equal(t.body.statusCategory, 'open');
  });

  it('removes a status no task holds, and tasks follow the new workflow', async () => {
    const type = (await create()).body;
    const task = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: type.id, title: 'Requested one' })).body;
    const w = inspection();
    w.statuses = w.statuses.filter((s) => s.key !== 'failed');
    w.transitions = w.transitions.filter((t) => t.to !== 'failed');
    w.transitions.push({ from: 'requested', to: 'on_site' });
    const r = await ctx.call('PATCH', `/api/v1/task-types/${type.id}`, org.token, { workflow: w, version: 1 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.version, 2);
    assert.deepEqual(r.body.workflow, w);
    assert.deepEqual((await ctx.call('GET', `/api/v1/task-types/${type.id}`, org.token)).body.workflow, w);
    const moved = await ctx.call('POST', `/api/v1/tasks/${task.id}/transitions`, org.token, { to: 'on_site' });
    assert.equal(moved.status, 200, 'the new transition is allowed at once');
    const gone = await ctx.call('POST', `/api/v1/tasks/${task.id}/transitions`, org.token, { to: 'failed' });
    assert.equal(gone.status, 409);
    assert.equal(gone.body.error.code, 'transition_not_allowed');
  });

  it('answers 409 stale_version for an edit made on an old version', async () => {
    const type = (await create()).body;
    await ctx.call('PATCH', `/api/v1/task-types/${type.id}`, org.token, { prefix: 'AA', version: 1 });
    const r = await ctx.call('PATCH', `/api/v1/task-types/${type.id}`, org.token, { prefix: 'BB', version: 1 });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'stale_version');
    assert.equal((await ctx.call('GET', `/api/v1/task-types/${type.id}`, org.token)).body.prefix, 'AA');
  });

  it('refuses deleting a type that tasks use (409 task_type_in_use), and deletes an unused one', async () => {
    const used = (await create()).body;
    await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: used.id, title: 'Uses it' });
    const r = await ctx.call('DELETE', `/api/v1/task-types/${used.id}`, org.token);
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'task_type_in_use');
    assert.equal((await ctx.call('GET', `/api/v1/task-types/${used.id}`, org.token)).status, 200);
    const unused = (await create()).body;
    assert.equal((await ctx.call('DELETE', `/api/v1/task-types/${unused.id}`, org.token)).status, 204);
    const gone = await ctx.call('GET', `/api/v1/task-types/${unused.id}`, org.token);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, 'task_type_not_found');
  });

  it('refuses a task starting in a done status of its type', async () => {
    const type = (await create()).body;
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: type.id, title: 'Done already', status: 'passed' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'invalid_initial_status');
    const ok = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: type.id, title: 'On site now', status: 'on_site' });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.statusCategory, 'active');
  });

  it('never lets a task take a status removed by a concurrent edit of its workflow', {
    skip: store === 'sqlite' && 'SQLite runs one write transaction at a time',
  }, async () => {
    const type = (await create()).body;
    const task = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: type.id, title: 'Racing' })).body;
    const w = inspection();
    w.statuses = w.statuses.filter((s) => s.key !== 'booked');
    w.transitions = [{ from: 'requested', to: 'on_site' }, ...w.transitions.filter((t) => t.from !== 'booked' && t.to !== 'booked')];
    let edit: Promise<{ status: number; body: any }> | undefined;
    // Inside the transition, once the task is written but not committed, the workflow edit runs.
    const hook = async (trx: Executor, event: TransitionEvent) => {
      if (event.task.id !== task.id) return;
      let done = false;
      edit = ctx.call('PATCH', `/api/v1/task-types/${type.id}`, org.token, { workflow: w }).finally(() => (done = true));
      await waitForBlocked(ctx.deps.db.kysely, await backendPid(trx), 1, () => done);
    };
    ctx.deps.transitionHooks.push(hook);
    try {
      const moved = await ctx.call('POST', `/api/v1/tasks/${task.id}/transitions`, org.token, { to: 'booked' });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
    } finally {
      ctx.deps.transitionHooks.splice(ctx.deps.transitionHooks.indexOf(hook), 1);
    }
    const edited = await edit!;
    assert.equal(edited.status, 409, JSON.stringify(edited.body));
    assert.equal(edited.body.error.code, 'status_in_use');
    const now = await ctx.call('GET', `/api/v1/task-types/${type.id}`, org.token);
    assert.ok(
      now.body.workflow.statuses.some((s: { key: string }) => s.key === 'booked'),
      'the held status is still there',
    );
  });
});
