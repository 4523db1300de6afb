import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { allLines, complete, enable, line, move, ok, task, world, type World } from '../consolidation/testkit.ts';
import { MAX_TRANSITION_DEPTH } from '../transition/index.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';

/** A harmless step that still writes a run: moving the task to where it already is is skipped. */
const marker = (to = 'in_progress') => [{ id: 'mark', type: 'transition_task', task: 'self', to }];

describeEachStore('automation engine', (store) => {
  let ctx: TestContext;
  before(async () => {
    ctx = await testContext(store);
  });
  after(() => ctx.close());

  const rule = async (w: World, body: Record<string, unknown>) =>
    (await ok(w, 'POST', '/api/v1/automations', { name: 'Rule', enabled: true, actions: marker(), ...body })).id as string;
  const runs = async (w: World, query: string) => (await ok(w, 'GET', `/api/v1/automation-runs?${query}`)).items;
  const fired = async (w: World, ruleId: string, taskId: string) => (await runs(w, `ruleId=${ruleId}&taskId=${taskId}`)).length;
  const start = async (w: World, taskId: string) => assert.equal((await move(w, taskId, 'in_progress')).status, 200);
  const client = async (w: World, taxRegion = 'QC', billingEmails: string[] = []) =>
    (await ok(w, 'POST', '/api/v1/clients', { name: `Client ${taxRegion}`, taxRegion, billingEmails })).id as string;
  /** A second task type with its own workflow, to tell types apart. */
  const visitType = async (w: World) =>
    (
      await ok(w, 'POST', '/api/v1/task-types', {
        key: 'visit',
        label: { fr: 'Visite', en: 'Visit' },
        prefix: 'V',
        workflow: {
          initial: 'todo',
          statuses: [
            { key: 'todo', label: { fr: 'À faire', en: 'To do' }, category: 'open' },
            { key: 'in_progress', label: { fr: 'En cours', en: 'In progress' }, category: 'active' },
            { key: 'done', label: { fr: 'Faite', en: 'Done' }, category: 'done' },
          ],
          transitions: [
            { from: 'todo', to: 'in_progress' },
            { from: 'in_progress', to: 'done' },
          ],
        },
      })
    ).id as string;

  it('fires on a status key, and on any status of a category', async () => {
    const w = await world(ctx);
    const byKey = await rule(w, { trigger: { type: 'status_entered', status: 'scheduled' }, actions: marker('scheduled') });
    const byCategory = await rule(w, { trigger: { type: 'status_entered', category: 'active' } });
    const t = await task(w, { title: 'A' });
    await start(w, t.id);
    assert.equal(await fired(w, byKey, t.id), 0);
    assert.equal(await fired(w, byCategory, t.id), 1);
    const [run] = await runs(w, `ruleId=${byCategory}`);
    assert.deepEqual([run.outcome, run.trigger, run.actions[0].detail.reason], ['succeeded', { from: 'todo', to: 'in_progress', depth: 0 }, 'already_there']);
    assert.equal((await move(w, t.id, 'scheduled')).status, 200);
    assert.equal(await fired(w, byKey, t.id), 1);
    assert.equal(await fired(w, byCategory, t.id), 1);
  });

  it('filters the trigger by task type and by the status the task came from', async () => {
    const w = await world(ctx);
    const visit = await visitType(w);
    const visitsOnly = await rule(w, { trigger: { type: 'status_entered', status: 'in_progress', taskTypeIds: [visit] } });
    const fromScheduled = await rule(w, { trigger: { type: 'status_entered', status: 'in_progress', fromStatuses: ['scheduled'] } });
    const work = await task(w, { title: 'Work' });
    const v = await task(w, { title: 'Visit', typeId: visit });
    await start(w, work.id);
    await start(w, v.id);
    assert.equal(await fired(w, visitsOnly, work.id), 0);
    assert.equal(await fired(w, visitsOnly, v.id), 1);
    assert.equal(await fired(w, fromScheduled, work.id), 0);
    const planned = await task(w, { title: 'Planned' });
    assert.equal((await move(w, planned.id, 'scheduled')).status, 200);
    await start(w, planned.id);
    assert.equal(await fired(w, fromScheduled, planned.id), 1);
  });

  it('fires only when every condition holds, and writes no run otherwise', async () => {
    const w = await world(ctx);
    const visit = await visitType(w);
    const qc = await client(w, 'QC');
    const on = await client(w, 'ON');
    const mailed = await client(w, 'ON', ['compta@boreal.example']);
    const trigger = { type: 'status_entered', status: 'in_progress' };
    const r = {
      workType: await rule(w, { trigger, conditions: { taskTypeIds: [w.workTypeId] } }),
      client: await rule(w, { trigger, conditions: { clientIds: [qc] } }),
      region: await rule(w, { trigger, conditions: { clientTaxRegions: ['ON'] } }),
      sub: await rule(w, { trigger, conditions: { hasParent: true } }),
      top: await rule(w, { trigger, conditions: { hasParent: false } }),
      underVisit: await rule(w, { trigger, conditions: { parentTypeIds: [visit] } }),
      emailed: await rule(w, { trigger, conditions: { clientHasBillingEmail: true } }),
      unreachable: await rule(w, { trigger, conditions: { clientHasBillingEmail: false } }),
    };
    const visitParent = await task(w, { title: 'Visit parent', typeId: visit });
    const workParent = await task(w, { title: 'Work parent' });
    const cases: [string, Record<string, unknown>, (keyof typeof r)[]][] = [
      ['top-level, no client', {}, ['workType', 'top', 'unreachable']],
      ['QC client', { clientId: qc }, ['workType', 'client', 'top', 'unreachable']],
      ['ON client', { clientId: on }, ['workType', 'region', 'top', 'unreachable']],
      ['ON client with a billing email', { clientId: mailed }, ['workType', 'region', 'top', 'emailed']],
      ['under a work task', { parentId: workParent.id }, ['workType', 'sub', 'unreachable']],
      ['under a visit', { parentId: visitParent.id, clientId: on }, ['workType', 'region', 'sub', 'underVisit', 'unreachable']],
      ['a visit itself', { typeId: visit }, ['top', 'unreachable']],
    ];
    for (const [label, fields, expected] of cases) {
      const t = await task(w, { title: label, ...fields });
      await start(w, t.id);
      const firedRules = (await runs(w, `taskId=${t.id}`)).map((x: { ruleId: string }) => x.ruleId);
      const names = Object.entries(r)
        .filter(([, id]) => firedRules.includes(id))
        .map(([k]) => k);
      assert.deepEqual(names.sort(), [...expected].sort(), label);
      assert.equal(firedRules.length, expected.length, label);
    }
  });

  it('refuses a clientHasBillingEmail condition that is not a boolean', async () => {
    const w = await world(ctx);
    const r = await ctx.call('POST', '/api/v1/automations', w.org.token, {
      name: 'Bad',
      trigger: { type: 'status_entered', status: 'in_progress' },
      conditions: { clientHasBillingEmail: 'yes' },
      actions: marker(),
    });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'validation_failed');
    assert.match(JSON.stringify(r.body.error.details), /clientHasBillingEmail/);
  });

  it('moves the main task with transition_task and fires the rules of that transition too', async () => {
    const w = await world(ctx);
    const startParent = await rule(w, {
      trigger: { type: 'status_entered', status: 'in_progress' },
      conditions: { hasParent: true },
      actions: [{ type: 'transition_task', task: 'parent', to: 'in_progress' }],
    });
    const onTopLevel = await rule(w, { trigger: { type: 'status_entered', status: 'in_progress' }, conditions: { hasParent: false } });
    const main = await task(w, { title: 'Main' });
    const sub = await task(w, { title: 'Sub', parentId: main.id });
    await start(w, sub.id);
    const parent = await ok(w, 'GET', `/api/v1/tasks/${main.id}`);
    assert.equal(parent.status, 'in_progress');
    assert.equal(parent.updatedBy, null);
    const history = (await ok(w, 'GET', `/api/v1/tasks/${main.id}/history`)).items;
    assert.deepEqual(
      history.map((h: { to: string }) => h.to),
      ['todo', 'in_progress'],
    );
    const [run] = await runs(w, `ruleId=${startParent}&taskId=${sub.id}`);
    assert.deepEqual(run.actions[0].detail, { taskId: main.id, from: 'todo', to: 'in_progress' });
    const [chained] = await runs(w, `ruleId=${onTopLevel}&taskId=${main.id}`);
    assert.equal(chained.trigger.depth, 1);
    // The second sub-task finds the parent already there: skipped, nothing moves twice.
    const sub2 = await task(w, { title: 'Sub 2', parentId: main.id });
    await start(w, sub2.id);
    assert.equal((await runs(w, `ruleId=${startParent}&taskId=${sub2.id}`))[0].actions[0].detail.reason, 'already_there');
    assert.equal((await ok(w, 'GET', `/api/v1/tasks/${main.id}/history`)).items.length, 2);
  });

  it('refuses the whole transition when an action fails, writes nothing, and logs the failed run', async () => {
    const w = await world(ctx);
    await enable(w, w.rules.byProject);
    const bad = await rule(w, {
      name: 'Send the parent back',
      trigger: { type: 'status_entered', category: 'done' },
      conditions: { hasParent: true },
      actions: [{ type: 'transition_task', task: 'parent', to: 'todo' }],
    });
    const main = await task(w, { title: 'Main' });
    const sub = await task(w, { title: 'Sub', parentId: main.id });
    await line(w, sub.id, 'Travail', '2', 5000);
    await start(w, main.id); // in_progress → todo is not in the work workflow
    const before = await ok(w, 'GET', `/api/v1/tasks/${sub.id}`);

    const r = await move(w, sub.id, 'completed');
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'automation_failed');
    assert.equal(r.body.error.details.ruleName, 'Send the parent back');
    assert.equal(r.body.error.details.ruleId, bad);
    assert.equal(r.body.error.details.reasonCode, 'transition_not_allowed');

    const after = await ok(w, 'GET', `/api/v1/tasks/${sub.id}`);
    assert.deepEqual([after.status, after.version, after.completedAt], [before.status, before.version, null]);
    assert.equal((await ok(w, 'GET', `/api/v1/tasks/${sub.id}/history`)).items.length, 1);
    assert.equal((await ok(w, 'GET', `/api/v1/tasks/${main.id}`)).status, 'in_progress');
    assert.equal((await allLines(w, main.id)).length, 0, 'the consolidation of the earlier rule is rolled back too');
    const consolidations = await ctx.deps.db.kysely.selectFrom('consolidations').select('id').where('source_task_id', '=', sub.id).execute();
    assert.equal(consolidations.length, 0);

    const logged = await runs(w, `taskId=${sub.id}`);
    assert.equal(logged.length, 1, 'the succeeded run of the rolled-back rule is not kept');
    assert.deepEqual([logged[0].ruleId, logged[0].outcome], [bad, 'failed']);
    assert.match(logged[0].error, /cannot go from "in_progress" to "todo"/);
  });

  it('stops a loop of rules at the depth bound with 409 automation_loop, and writes nothing', { timeout: 30_000 }, async () => {
    const w = await world(ctx);
    const ping = await rule(w, { trigger: { type: 'status_entered', status: 'in_progress' }, actions: [{ type: 'transition_task', to: 'scheduled' }] });
    const pong = await rule(w, { trigger: { type: 'status_entered', status: 'scheduled' }, actions: [{ type: 'transition_task', to: 'in_progress' }] });
    const t = await task(w, { title: 'Ping-pong' });
    const r = await move(w, t.id, 'in_progress');
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'automation_failed');
    assert.equal(r.body.error.details.reasonCode, 'automation_loop');
    const after = await ok(w, 'GET', `/api/v1/tasks/${t.id}`);
    assert.deepEqual([after.status, after.version], ['todo', 1]);
    assert.equal((await ok(w, 'GET', `/api/v1/tasks/${t.id}/history`)).items.length, 1);
    const logged = await runs(w, `taskId=${t.id}&limit=100`);
    const depths = logged.map((x: { trigger: { depth: number } }) => x.trigger.depth);
    assert.ok(logged.every((x: { outcome: string; ruleId: string }) => x.outcome === 'failed' && [ping, pong].includes(x.ruleId)));
    assert.equal(Math.max(...depths), MAX_TRANSITION_DEPTH - 1);
    assert.ok(logged.length <= MAX_TRANSITION_DEPTH);
  });

  it('never fires a disabled rule', async () => {
    const w = await world(ctx);
    const off = await rule(w, { enabled: false, trigger: { type: 'status_entered', status: 'in_progress' } });
    const later = await rule(w, { trigger: { type: 'status_entered', status: 'in_progress' } });
    await ok(w, 'POST', `/api/v1/automations/${later}/disable`);
    const t = await task(w, { title: 'Quiet' });
    await start(w, t.id);
    assert.equal((await runs(w, `taskId=${t.id}`)).length, 0);
    const main = await task(w, { title: 'Main' });
    const sub = await task(w, { title: 'Sub', parentId: main.id });
    await line(w, sub.id, 'Travail', '1', 1000);
    await complete(w, sub.id); // the default rules start disabled
    assert.equal((await allLines(w, main.id)).length, 0);
    assert.equal((await runs(w, `ruleId=${off}`)).length + (await runs(w, `ruleId=${w.rules.byProject}`)).length, 0);
  });

  it('lists runs newest first, filtered by rule and by task, one page at a time', async () => {
    const w = await world(ctx);
    const a = await rule(w, { trigger: { type: 'status_entered', status: 'in_progress' } });
    const b = await rule(w, { trigger: { type: 'status_entered', status: 'scheduled' }, actions: marker('scheduled') });
    const tasks = [];
    for (let i = 0; i < 3; i++) {
      const t = await task(w, { title: `T${i}` });
      tasks.push(t.id);
      await start(w, t.id);
      assert.equal((await move(w, t.id, 'scheduled')).status, 200);
    }
    const all = await runs(w, 'limit=100');
    assert.equal(all.length, 6);
    assert.deepEqual(
      all.map((x: { id: string }) => x.id),
      all
        .map((x: { id: string }) => x.id)
        .sort()
        .reverse(),
    );
    assert.deepEqual([all[0].ruleId, all[0].taskId], [b, tasks[2]]);
    assert.ok((await runs(w, `ruleId=${a}`)).every((x: { ruleId: string }) => x.ruleId === a));
    assert.equal((await runs(w, `ruleId=${a}`)).length, 3);
    assert.deepEqual(
      (await runs(w, `taskId=${tasks[1]}`)).map((x: { ruleId: string }) => x.ruleId),
      [b, a],
    );

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; ruleId: string }[]; nextCursor: string | null } = await ok(
        w,
        'GET',
        `/api/v1/automation-runs?ruleId=${b}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(
      seen,
      all.filter((x: { ruleId: string }) => x.ruleId === b).map((x: { id: string }) => x.id),
    );
    const stranger = await world(ctx);
    assert.equal((await runs(stranger, `taskId=${tasks[0]}`)).length, 0);
  });
});
