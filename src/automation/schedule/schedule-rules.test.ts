import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ok, world, type World } from '../../consolidation/testkit.ts';
import { describeEachStore, testContext, type TestContext } from '../../testing/harness.ts';

describeEachStore('scheduled rules API', (store) => {
  let ctx: TestContext;
  let w: World;
  let other: World;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    other = await world(ctx);
  });
  after(() => ctx.close());

  const trigger = (schedule: Record<string, unknown>, target: Record<string, unknown> = { taskTypeIds: [w.invoiceTypeId], statusCategory: 'open' }) => ({
    type: 'schedule',
    schedule,
    target,
  });
  const save = (t: unknown) =>
    ctx.call('POST', '/api/v1/automations', w.org.token, { name: 'Scheduled', trigger: t, actions: [{ type: 'transition_task', to: 'closed' }] });

  it('saves daily, weekly and monthly schedules and reads them back as saved', async () => {
    for (const schedule of [
      { kind: 'daily', time: '06:30' },
      { kind: 'weekly', weekday: 5, time: '16:00' },
      { kind: 'monthly', day: 'last', time: '17:00' },
      { kind: 'monthly', day: 1, time: '00:00' },
    ]) {
      const r = await save(trigger(schedule, { taskTypeIds: [w.invoiceTypeId], statuses: ['open'], hasContent: true }));
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const back = await ok(w, 'GET', `/api/v1/automations/${r.body.id}`);
      assert.deepEqual(back.trigger, { type: 'schedule', schedule, target: { taskTypeIds: [w.invoiceTypeId], statuses: ['open'], hasContent: true } });
    }
  });

  it('refuses days past 28, bad times, a missing target and task types of another organization', async () => {
    for (const [t, code] of [
      [trigger({ kind: 'monthly', day: 31, time: '17:00' }), 'validation_failed'],
      [trigger({ kind: 'monthly', day: 'first', time: '17:00' }), 'validation_failed'],
      [trigger({ kind: 'daily', time: '24:00' }), 'validation_failed'],
      [trigger({ kind: 'daily', time: '7:00' }), 'validation_failed'],
      [trigger({ kind: 'weekly', weekday: 0, time: '07:00' }), 'validation_failed'],
      [trigger({ kind: 'hourly', time: '07:00' }), 'validation_failed'],
      [{ type: 'schedule', schedule: { kind: 'daily', time: '07:00' } }, 'validation_failed'],
      [trigger({ kind: 'daily', time: '07:00' }, { statusCategory: 'open' }), 'validation_failed'],
      [trigger({ kind: 'daily', time: '07:00' }, { taskTypeIds: [other.invoiceTypeId] }), 'task_type_not_found'],
    ] as const) {
      const r = await save(t);
      assert.equal(r.status, 400, JSON.stringify(t));
      assert.equal(r.body.error.code, code, JSON.stringify(t));
    }
  });
});
