import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { line, ok, task, world } from '../../consolidation/testkit.ts';
import { describeEachStore, fixedClock, testContext, type TestContext } from '../../testing/harness.ts';

describeEachStore('POST /automations/{id}/run: run-schedule from the app', (store) => {
  const clock = fixedClock('2026-03-02T15:00:00Z');
  const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());
  let ctx: TestContext;
  before(async () => {
    ctx = await testContext(store, { clock });
  });
  after(() => ctx.close());

  const setup = async () => {
    setClock('2026-03-02T15:00:00Z');
    const w = await world(ctx);
    const c = (await ok(w, 'POST', '/api/v1/clients', { name: 'Réseau Boréal', taxRegion: 'QC' })).id;
    const inv = await task(w, { typeId: w.invoiceTypeId, title: 'Facture de mars', clientId: c });
    await line(w, inv.id, 'Épissures', '12', 1800);
    const rule = await ok(w, 'POST', '/api/v1/automations', {
      name: 'Month-end close',
      trigger: {
        type: 'schedule',
        schedule: { kind: 'monthly', day: 'last', time: '17:00' },
        target: { taskTypeIds: [w.invoiceTypeId], statusCategory: 'open', hasContent: true },
      },
      actions: [{ type: 'transition_task', to: 'closed' }],
    });
    return { w, c, inv, rule };
  };
  const run = (token: string, id: string, body?: unknown) => ctx.call('POST', `/api/v1/automations/${id}/run`, token, body);

  it('runs the coming occurrence early, says what it did per task, and refuses to run it twice unless asked', async () => {
    const { w, c, inv, rule } = await setup();
    setClock('2026-03-15T14:00:00Z');
    const coming = await ok(w, 'GET', `/api/v1/automations/${rule.id}/upcoming?count=2`);
    assert.deepEqual(coming, { timeZone: 'America/Toronto', items: ['2026-03-31T21:00:00.000Z', '2026-04-30T21:00:00.000Z'] });
    const first = await run(w.org.token, rule.id);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(
      [first.body.occurrenceAt, first.body.early, first.body.enabled, first.body.timeZone, first.body.succeeded, first.body.selected],
      ['2026-03-31T21:00:00.000Z', true, false, 'America/Toronto', 1, 1],
    );
    assert.deepEqual(
      first.body.tasks.map((t: { id: string; outcome: string }) => [t.id, t.outcome]),
      [[inv.id, 'succeeded']],
    );
    assert.deepEqual(
      first.body.tasks[0].steps.map((s: { type: string; outcome: string }) => [s.type, s.outcome]),
      [['transition_task', 'done']],
    );
    assert.equal((await ok(w, 'GET', `/api/v1/tasks/${inv.id}`)).status, 'closed');
    const occurrences = await ok(w, 'GET', `/api/v1/automations/${rule.id}/occurrences`);
    assert.deepEqual(
      occurrences.items.map((o: { occurrenceAt: string; manual: boolean; state: string }) => [o.occurrenceAt, o.manual, o.state]),
      [['2026-03-31T21:00:00.000Z', true, 'done']],
    );

    // The same as `chantier run-schedule` without --early: the latest ran, so the next one waits.
    setClock('2026-04-01T12:00:00Z');
    const again = await run(w.org.token, rule.id, {});
    assert.deepEqual([again.status, again.body.error.code], [409, 'occurrence_already_ran']);
    const next = await task(w, { typeId: w.invoiceTypeId, title: "Facture d'avril", clientId: c });
    await line(w, next.id, 'Raccord', '1', 5000);
    const early = await run(w.org.token, rule.id, { early: true });
    assert.equal(early.status, 200, JSON.stringify(early.body));
    assert.equal(early.body.occurrenceAt, '2026-04-30T21:00:00.000Z');
    assert.equal((await ok(w, 'GET', `/api/v1/tasks/${next.id}`)).status, 'closed');
  });

  it('is for admins of the rule’s organization, for scheduled rules only, and refuses early with rerun', async () => {
    const { w, rule } = await setup();
    const dispatcher = await ctx.addUser(w.org, 'dispatcher');
    assert.equal((await run(dispatcher.token, rule.id)).status, 403);
    const stranger = await ctx.signup();
    assert.equal((await run(stranger.token, rule.id)).status, 404);
    assert.equal((await run(w.org.token, w.rules.progressive)).status, 404, 'a status-entered rule has no occurrence to run');
    assert.equal((await ctx.call('GET', `/api/v1/automations/${rule.id}/upcoming`, stranger.token)).status, 404);
    const both = await run(w.org.token, rule.id, { early: true, rerun: true });
    assert.deepEqual([both.status, both.body.error.code, both.body.error.details.field], [400, 'run_mode_conflict', 'rerun']);
    const unknown = await run(w.org.token, rule.id, { now: true });
    assert.equal(unknown.status, 400);
    assert.equal((await ok(w, 'GET', `/api/v1/automations/${rule.id}/occurrences`)).items.length, 0, 'nothing ran');
  });

  it('names an action’s field by its step index when the rule is saved with a mistake', async () => {
    const { w } = await setup();
    const r = await ctx.call('POST', '/api/v1/automations', w.org.token, {
      name: 'Two steps',
      trigger: { type: 'status_entered', status: 'completed' },
      actions: [
        { type: 'transition_task', to: 'completed', task: 'parent' },
        { type: 'create_task', typeId: w.invoiceTypeId, title: 'Facture {period.next.mois}' },
      ],
    });
    assert.deepEqual([r.status, r.body.error.code, r.body.error.details.field], [400, 'unknown_template_variable', 'actions.1.title']);
  });
});
