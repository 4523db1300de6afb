import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { line, ok, task, world, type World } from '../../consolidation/testkit.ts';
import { formatManualRun } from '../../cli/run-schedule.ts';
import { AppError } from '../../shared/errors.ts';
import { describeEachStore, fixedClock, testContext, type TestContext } from '../../testing/harness.ts';
import { createScheduler, runDueSchedules, runScheduleNow } from './index.ts';

describeEachStore('scheduled rules: by hand and in the background', (store) => {
  const clock = fixedClock('2026-03-02T15:00:00Z');
  const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());
  let ctx: TestContext;
  before(async () => {
    ctx = await testContext(store, { clock });
  });
  after(() => ctx.close());

  const setup = async (enabled = true) => {
    const w = await world(ctx);
    const c = (await ok(w, 'POST', '/api/v1/clients', { name: 'Réseau Boréal', taxRegion: 'QC' })).id;
    const inv = await task(w, { typeId: w.invoiceTypeId, title: 'Facture de mars', clientId: c });
    await line(w, inv.id, 'Épissures', '12', 1800);
    const empty = await task(w, { typeId: w.invoiceTypeId, title: 'Vide', clientId: c });
    const rule = await ok(w, 'POST', '/api/v1/automations', {
      name: 'Month-end close',
      enabled,
      trigger: {
        type: 'schedule',
        schedule: { kind: 'monthly', day: 'last', time: '17:00' },
        target: { taskTypeIds: [w.invoiceTypeId], statusCategory: 'open', hasContent: true },
      },
      actions: [{ type: 'transition_task', to: 'closed' }],
    });
    return { w, inv, empty, rule };
  };
  const status = async (w: World, id: string) => (await ok(w, 'GET', `/api/v1/tasks/${id}`)).status;
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      if (err instanceof AppError) return err.code;
      throw err;
    }
    assert.fail('expected a refusal');
  };

  it('runs the coming month-end early, prints it, and the scheduler does not run it again', async () => {
    setClock('2026-03-02T15:00:00Z');
    const { w, inv, empty, rule } = await setup(false);
    setClock('2026-03-15T14:00:00Z');
    const run = await runScheduleNow(ctx.deps, rule.id, clock.now());
    assert.deepEqual(
      [run.early, run.enabled, run.report.occurrenceAt, run.report.manual, run.report.succeeded],
      [true, false, '2026-03-31T21:00:00.000Z', true, 1],
    );
    assert.deepEqual([await status(w, inv.id), await status(w, empty.id)], ['closed', 'open']);
    const text = formatManualRun(run);
    assert.match(text, /^Rule "Month-end close" .* disabled, run by hand anyway$/m);
    assert.match(text, /^Occurrence 2026-03-31 17:00 America\/Toronto \(2026-03-31T21:00:00\.000Z\), run early/m);
    assert.match(text, new RegExp(`^  ${inv.displayNumber} +Facture de mars +transition_task done \\(open → closed\\)$`, 'm'));
    assert.match(text, /^Done: 1 succeeded, 0 failed, 0 skipped\.$/m);

    await ok(w, 'POST', `/api/v1/automations/${rule.id}/enable`);
    const again = await task(w, { typeId: w.invoiceTypeId, title: 'Facture bis', clientId: inv.client.id });
    await line(w, again.id, 'Extra', '1', 100);
    setClock('2026-03-31T21:00:30Z');
    assert.deepEqual(
      (await runDueSchedules(ctx.deps, clock.now())).filter((r) => r.ruleId === rule.id),
      [],
    );
    assert.equal(await status(w, again.id), 'open');

    setClock('2026-04-01T12:00:00Z');
    assert.equal(await refusal(runScheduleNow(ctx.deps, rule.id, clock.now())), 'occurrence_already_ran');
    const early = await runScheduleNow(ctx.deps, rule.id, clock.now(), { early: true });
    assert.equal(early.report.occurrenceAt, '2026-04-30T21:00:00.000Z');
    assert.equal(await status(w, again.id), 'closed');
  });

  it('runs a due occurrence the scheduler has not run, and refuses one that is running or a rule of another organization', async () => {
    setClock('2026-05-02T15:00:00Z');
    const { w, inv, rule } = await setup();
    setClock('2026-05-31T22:00:00Z'); // the scheduler is off: May 31 17:00 has not run
    const run = await runScheduleNow(ctx.deps, rule.id, clock.now(), { orgId: w.org.orgId });
    assert.deepEqual([run.early, run.report.occurrenceAt], [false, '2026-05-31T21:00:00.000Z']);
    assert.equal(await status(w, inv.id), 'closed');
    const other = await world(ctx);
    assert.equal(await refusal(runScheduleNow(ctx.deps, rule.id, clock.now(), { orgId: other.org.orgId })), 'scheduled_rule_not_found');

    setClock('2026-06-15T12:00:00Z');
    const june = await task(w, { typeId: w.invoiceTypeId, title: 'Juin', clientId: inv.client.id });
    await line(w, june.id, 'Pose', '1', 100);
    setClock('2026-06-30T21:00:10Z');
    await ctx.deps.db.kysely
      .insertInto('schedule_occurrences')
      .values({
        id: crypto.randomUUID(),
        org_id: w.org.orgId,
        rule_id: rule.id,
        occurrence_at: '2026-06-30T21:00:00.000Z',
        state: 'running',
        manual: 0,
        claimed_by: 'other-server',
        claimed_at: clock.now().toISOString(),
      })
      .execute();
    assert.equal(await refusal(runScheduleNow(ctx.deps, rule.id, clock.now(), { early: true })), 'occurrence_running');

    // That server stopped mid-way: the operator reruns it, and only what is still open is closed.
    const rerun = await runScheduleNow(ctx.deps, rule.id, clock.now(), { rerun: true });
    assert.deepEqual([rerun.report.occurrenceAt, rerun.report.tasks.map((t) => t.id)], ['2026-06-30T21:00:00.000Z', [june.id]]);
    assert.equal(await status(w, june.id), 'closed');
    const [row] = await ctx.deps.db.kysely
      .selectFrom('schedule_occurrences')
      .selectAll()
      .where('rule_id', '=', rule.id)
      .where('occurrence_at', '=', '2026-06-30T21:00:00.000Z')
      .execute();
    assert.deepEqual([row.state, row.manual], ['done', 1]);
  });

  it('runs due occurrences from its timer and stops cleanly', async () => {
    setClock('2026-07-02T15:00:00Z');
    const { w, inv, rule } = await setup();
    setClock('2026-07-31T21:00:05Z');
    const scheduler = createScheduler(ctx.deps, { intervalMs: 5 });
    scheduler.start();
    const occurrence = () => ctx.deps.db.kysely.selectFrom('schedule_occurrences').select('state').where('rule_id', '=', rule.id).executeTakeFirst();
    try {
      for (let i = 0; i < 400 && (await occurrence())?.state !== 'done'; i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await scheduler.stop();
    }
    assert.equal((await occurrence())?.state, 'done');
    assert.equal(await status(w, inv.id), 'closed');
  });
});
