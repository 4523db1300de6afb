import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { allLines, complete, enable, line, move, ok, task, world, type World } from '../../consolidation/testkit.ts';
import { describeEachStore, fixedClock, testContext, type TestContext } from '../../testing/harness.ts';

describeEachStore('create_task action', (store) => {
  const clock = fixedClock('2026-03-30T15:00:00Z');
  const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());
  let ctx: TestContext;
  before(async () => {
    ctx = await testContext(store, { clock });
  });
  after(() => ctx.close());

  const client = async (w: World, name: string, language = 'fr') => (await ok(w, 'POST', '/api/v1/clients', { name, language, taxRegion: 'QC' })).id as string;
  const rule = (w: World, trigger: Record<string, unknown>, actions: Record<string, unknown>[]) =>
    w.ctx.call('POST', '/api/v1/automations', w.org.token, { name: 'Next invoice', enabled: true, trigger, actions });
  const onSent = (w: World) => ({ type: 'status_entered', status: 'sent', taskTypeIds: [w.invoiceTypeId] });
  const runsOf = async (w: World, ruleId: string) => (await ok(w, 'GET', `/api/v1/automation-runs?ruleId=${ruleId}`)).items;
  const nextInvoice = (w: World, extra: Record<string, unknown> = {}) => ({
    type: 'create_task',
    typeId: w.invoiceTypeId,
    title: 'Facture {client.name} — {period.next.month_name} {period.next.year}',
    ...extra,
  });
  const countTasks = async (w: World) => (await ctx.deps.db.kysely.selectFrom('tasks').select('id').where('org_id', '=', w.org.orgId).execute()).length;

  /** March's invoice (issued on close) and a work task completed after it, waiting for the next invoice. */
  async function monthWithPendingWork(w: World, clientId: string) {
    await enable(w, w.rules.progressive);
    setClock('2026-03-30T15:00:00Z');
    const march = await task(w, { typeId: w.invoiceTypeId, title: 'Facture mars', clientId });
    await line(w, march.id, 'Forfait mensuel', '1', 50000);
    assert.equal((await move(w, march.id, 'closed')).status, 200);
    const work = await task(w, { title: 'Fibre — 9 Mountain', clientId });
    const a = await line(w, work.id, 'Épissure', '12', 1800);
    await complete(w, work.id);
    const unbilled = await ok(w, 'GET', `/api/v1/clients/${clientId}/unbilled`);
    assert.equal(unbilled.items.length, 1, 'the work waits for the next invoice');
    return { march, work, lineIds: [a.id] };
  }

  it("creates next month's invoice with the French title and sweeps the client's pending work into it, naming it in the run", async () => {
    const w = await world(ctx);
    const boreal = await client(w, 'Réseau Boréal');
    const { march, work, lineIds } = await monthWithPendingWork(w, boreal);
    const r = await rule(w, onSent(w), [
      nextInvoice(w, {
        description: 'Suite de {task.number} ({task.title}), période de {period.month_name} {period.year}',
        schedule: { start: 'first_day_of_next_month', end: 'last_day_of_next_month' },
      }),
    ]);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    // 21:30 in Toronto on March 31 is already April 1 in UTC: the period is the organization's.
    setClock('2026-04-01T01:30:00Z');
    assert.equal((await move(w, march.id, 'sent')).status, 200);

    const [run] = await runsOf(w, r.body.id);
    assert.equal(run.outcome, 'succeeded');
    const detail = run.actions[0].detail;
    assert.equal(detail.title, 'Facture Réseau Boréal — avril 2026');
    const april = await ok(w, 'GET', `/api/v1/tasks/${detail.taskId}`);
    assert.equal(detail.displayNumber, april.displayNumber);
    assert.deepEqual([april.title, april.typeId, april.status, april.client.id], ['Facture Réseau Boréal — avril 2026', w.invoiceTypeId, 'open', boreal]);
    assert.equal(april.description, `Suite de ${march.displayNumber} (Facture mars), période de mars 2026`);
    assert.deepEqual([april.scheduledStart, april.scheduledEnd], ['2026-04-01T12:00:00.000Z', '2026-04-30T21:00:00.000Z']);

    assert.equal((await ok(w, 'GET', `/api/v1/tasks/${work.id}`)).parentId, april.id);
    assert.deepEqual(
      (await allLines(w, april.id)).map((l: { sourceId?: string; description: string }) => l.description),
      ['Épissure'],
    );
    const copied = await ctx.deps.db.kysely.selectFrom('task_lines').select('source_id').where('task_id', '=', april.id).execute();
    assert.deepEqual(
      copied.map((c) => c.source_id),
      lineIds,
    );
    assert.deepEqual((await ok(w, 'GET', `/api/v1/clients/${boreal}/unbilled`)).items, []);
  });

  it('creates nothing and sweeps nothing when a later action of the rule fails: it is the same transaction', async () => {
    const w = await world(ctx);
    const boreal = await client(w, 'Boréal');
    const { march } = await monthWithPendingWork(w, boreal);
    await rule(w, onSent(w), [nextInvoice(w), { type: 'transition_task', task: 'self', to: 'open' }]);
    const before = await countTasks(w);
    const refused = await move(w, march.id, 'sent');
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.details.reasonCode, 'transition_not_allowed');
    assert.equal(await countTasks(w), before);
    assert.equal((await ok(w, 'GET', `/api/v1/clients/${boreal}/unbilled`)).items.length, 1);
  });

  it("writes month names in the client's language, else the organization's, across the new year", async () => {
    const w = await world(ctx);
    const acme = await client(w, 'Acme Paving', 'en');
    const r = await rule(w, { type: 'status_entered', status: 'in_progress' }, [
      { type: 'create_task', typeId: w.workTypeId, title: '{client.name} {period.month_name} {period.year} → {period.next.month_name} {period.next.year}' },
    ]);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    setClock('2026-12-31T22:00:00Z'); // 17:00 on December 31 in Toronto
    const forAcme = await task(w, { title: 'A', clientId: acme });
    const noClient = await task(w, { title: 'B' });
    await move(w, forAcme.id, 'in_progress');
    await move(w, noClient.id, 'in_progress');
    const titles = (await runsOf(w, r.body.id)).map((x: { actions: { detail: { title: string } }[] }) => x.actions[0].detail.title);
    assert.deepEqual(titles.sort(), ['Acme Paving December 2026 → January 2027', 'décembre 2026 → janvier 2027']);
  });

  it('sets the parent, the assignees and the status the rule asks for', async () => {
    const w = await world(ctx);
    const tech = await ctx.addUser(w.org, 'technician');
    const other = await ctx.addUser(w.org, 'technician');
    const main = await task(w, { title: 'Main' });
    const sub = await task(w, { title: 'Sub', parentId: main.id, assigneeIds: [tech.userId] });
    const r = await rule(w, { type: 'status_entered', status: 'in_progress' }, [
      {
        type: 'create_task',
        id: 'child',
        typeId: w.workTypeId,
        title: 'Suivi de {task.title}',
        parent: 'triggering_task',
        assignees: 'same_as_trigger',
        status: 'scheduled',
      },
      { type: 'create_task', id: 'sibling', typeId: w.workTypeId, title: 'À côté', parent: 'same_parent', assignees: [other.userId], client: 'none' },
    ]);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await move(w, sub.id, 'in_progress');
    const [run] = await runsOf(w, r.body.id);
    const child = await ok(w, 'GET', `/api/v1/tasks/${run.actions[0].detail.taskId}`);
    const sibling = await ok(w, 'GET', `/api/v1/tasks/${run.actions[1].detail.taskId}`);
    assert.deepEqual([child.title, child.parentId, child.assigneeIds, child.status], ['Suivi de Sub', sub.id, [tech.userId], 'scheduled']);
    assert.deepEqual([sibling.parentId, sibling.assigneeIds, sibling.status], [main.id, [other.userId], 'todo']);
  });

  it('refuses at save an unknown variable, a closed status, a missing type, an end before the start and words outside the date vocabulary', async () => {
    const w = await world(ctx);
    const otherOrg = await world(ctx);
    const trigger = { type: 'status_entered', status: 'completed' };
    const refused = async (action: Record<string, unknown>, code: string, field?: string) => {
      const r = await rule(w, trigger, [nextInvoice(w, action)]);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.code, code);
      if (field) assert.equal(r.body.error.details.field, `actions.0.${field}`);
      return r.body.error;
    };
    const unknown = await refused({ title: 'Facture {period.next.month}' }, 'unknown_template_variable', 'title');
    assert.deepEqual(unknown.details.unknown, ['period.next.month']);
    await refused({ description: '{client.nom}' }, 'unknown_template_variable', 'description');
    await refused({ status: 'closed' }, 'invalid_initial_status', 'status');
    await refused({ typeId: otherOrg.invoiceTypeId }, 'task_type_not_found', 'typeId');
    await refused({ schedule: { start: 'first_day_of_next_month', end: '+3 days' } }, 'invalid_schedule', 'schedule.end');
    await refused({ schedule: { start: 'same_day', startTime: '17:00', end: 'same_day', endTime: '08:00' } }, 'invalid_schedule');
    await refused({ schedule: { start: 'tomorrow' } }, 'validation_failed');
    await refused({ schedule: { start: '+0 days' } }, 'validation_failed');
    const fine = await rule(w, trigger, [nextInvoice(w, { schedule: { start: '+1 day', end: '+5 days' } })]);
    assert.equal(fine.status, 201, JSON.stringify(fine.body));
  });
});
