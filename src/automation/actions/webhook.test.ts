import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ok, task, world, type World } from '../../consolidation/testkit.ts';
import { describeEachStore, fixedClock, testContext, type TestContext } from '../../testing/harness.ts';
import { verifyWebhookSignature } from '../../webhooks/index.ts';
import { startReceiver, type TestReceiver } from '../../webhooks/testkit.ts';
import { createWorker } from '../../worker.ts';
import { runDueSchedules } from '../schedule/index.ts';

describeEachStore('webhook action', (store) => {
  const clock = fixedClock('2026-03-31T21:00:00Z');
  let ctx: TestContext;
  let hook: TestReceiver;
  let w: World;
  before(async () => {
    hook = await startReceiver();
    ctx = await testContext(store, { clock, config: { webhookAllowPrivate: true } });
    w = await world(ctx);
  });
  after(async () => {
    await ctx.close();
    await hook.close();
  });

  const onCompleted = (actions: Record<string, unknown>[]) =>
    ctx.call('POST', '/api/v1/automations', w.org.token, {
      name: 'Tell the ERP',
      enabled: true,
      trigger: { type: 'status_entered', status: 'completed' },
      actions,
    });
  const complete = (id: string) => ctx.call('POST', `/api/v1/tasks/${id}/transitions`, w.org.token, { to: 'completed' });
  const webhookRows = () =>
    ctx.deps.db.kysely.selectFrom('outbox').selectAll().where('org_id', '=', w.org.orgId).where('kind', '=', 'webhook').orderBy('id').execute();
  const worker = () => createWorker(ctx.deps, { random: () => 1 });
  let rule: { id: string; secret: string } | undefined;

  it('POSTs the event after commit, signed with the secret shown once when the rule was saved', async () => {
    const r = await onCompleted([{ type: 'webhook', id: 'erp', url: hook.url }]);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const secret = r.body.secrets.erp;
    assert.match(secret, /^whsec_[\w-]{32}$/);
    rule = { id: r.body.id, secret };
    assert.deepEqual(r.body.actions[0], { id: 'erp', type: 'webhook', url: hook.url, secretHint: `whsec_…${secret.slice(-4)}` });
    for (const url of [`/api/v1/automations/${rule.id}`, '/api/v1/automations', `/api/v1/automations/${rule.id}/history`]) {
      const shown = JSON.stringify((await ctx.call('GET', url, w.org.token)).body);
      assert.ok(!shown.includes(secret), `${url} shows the secret`);
      assert.ok(!shown.includes('"secrets"'), url);
    }

    const client = (await ok(w, 'POST', '/api/v1/clients', { name: 'Réseau Boréal', taxRegion: 'QC' })).id;
    const t = await task(w, { title: 'Fibre — 9 Mountain', clientId: client });
    assert.equal((await complete(t.id)).status, 200);
    assert.equal(hook.received.length, 0, 'nothing is sent inside the transition');
    assert.deepEqual(
      (await webhookRows()).map((x) => x.state),
      ['pending'],
    );

    assert.deepEqual(await worker().runOnce(), { claimed: 1, sent: 1, retrying: 0, failed: 0 });
    assert.equal(hook.received.length, 1);
    const [got] = hook.received;
    assert.equal(got.path, '/hooks/chantier');
    assert.equal(got.headers['content-type'], 'application/json');
    const now = Math.floor(clock.now().getTime() / 1000);
    assert.equal(got.headers['chantier-signature'], `t=${now},v1=${(got.headers['chantier-signature'] as string).split('v1=')[1]}`);
    assert.ok(verifyWebhookSignature(secret, got.headers['chantier-signature'] as string, got.body, now), 'the signature verifies');
    assert.ok(
      !verifyWebhookSignature(secret, got.headers['chantier-signature'] as string, got.body.replace('Mountain', 'Mountaim'), now),
      'a changed body does not',
    );
    assert.ok(!verifyWebhookSignature('whsec_another-secret-of-24-chars', got.headers['chantier-signature'] as string, got.body, now));
    const event = JSON.parse(got.body);
    assert.deepEqual(
      [event.type, event.orgId, event.ruleId, event.actionId, event.transition, event.occurrenceAt, event.invoice],
      ['task.status_entered', w.org.orgId, rule.id, 'erp', { from: 'todo', to: 'completed' }, null, null],
    );
    assert.deepEqual(
      [event.task.id, event.task.displayNumber, event.task.status, event.task.client],
      [t.id, t.displayNumber, 'completed', { id: client, name: 'Réseau Boréal' }],
    );
    assert.equal(got.headers['chantier-event-id'], event.id);
    assert.equal((await webhookRows())[0].state, 'sent');
  });

  it('retries after a 500 answer, with the same event, and keeps the secret when the rule is saved again without it', async () => {
    const saved = await ctx.call('GET', `/api/v1/automations/${rule!.id}`, w.org.token);
    const patched = await ctx.call('PATCH', `/api/v1/automations/${rule!.id}`, w.org.token, { actions: saved.body.actions });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.secrets, undefined);
    const before = hook.received.length;
    hook.answers.push(500);
    const t = await task(w, { title: 'Retry me' });
    assert.equal((await complete(t.id)).status, 200);
    assert.deepEqual(await worker().runOnce(), { claimed: 1, sent: 0, retrying: 1, failed: 0 });
    const [row] = (await webhookRows()).filter((x) => x.task_id === t.id);
    assert.deepEqual([row.state, row.attempts, row.last_error], ['pending', 1, 'the endpoint answered HTTP 500']);
    assert.equal((await worker().runOnce()).claimed, 0, 'not before its backoff');
    clock.advance(31_000);
    assert.deepEqual(await worker().runOnce(), { claimed: 1, sent: 1, retrying: 0, failed: 0 });
    const [first, second] = hook.received.slice(before);
    assert.equal(first.body, second.body);
    assert.equal(first.headers['chantier-event-id'], second.headers['chantier-event-id']);
    const now = Math.floor(clock.now().getTime() / 1000);
    assert.ok(verifyWebhookSignature(rule!.secret, second.headers['chantier-signature'] as string, second.body, now), 'signed afresh with the kept secret');
  });

  it('sends nothing when the transition rolls back', async () => {
    const r = await onCompleted([
      { type: 'webhook', url: hook.url },
      { type: 'transition_task', to: 'nowhere' },
    ]);
    const rows = (await webhookRows()).length;
    const before = hook.received.length;
    const t = await task(w, { title: 'Refused' });
    const refused = await complete(t.id);
    assert.equal(refused.status, 409);
    assert.equal((await webhookRows()).length, rows);
    assert.equal((await worker().runOnce()).claimed, 0);
    assert.equal(hook.received.length, before);
    await ok(w, 'DELETE', `/api/v1/automations/${r.body.id}`);
  });

  it('refuses private addresses unless CHANTIER_WEBHOOK_ALLOW_PRIVATE: at save, and at delivery (failed at once, nothing sent)', async () => {
    const t = await task(w, { title: 'Private' });
    assert.equal((await complete(t.id)).status, 200); // queued while private addresses were allowed
    ctx.deps.config.webhookAllowPrivate = false;
    try {
      const refused = await onCompleted([{ type: 'webhook', url: hook.url }]);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'webhook_url_not_allowed');
      const before = hook.received.length;
      assert.deepEqual(await worker().runOnce(), { claimed: 1, sent: 0, retrying: 0, failed: 1 });
      const [row] = (await webhookRows()).filter((x) => x.task_id === t.id);
      assert.match(row.last_error ?? '', /private address \(127\.0\.0\.1\)/);
      assert.equal(hook.received.length, before);
    } finally {
      ctx.deps.config.webhookAllowPrivate = true;
    }
  });

  it('sends a task.scheduled event, with the occurrence, for a scheduled rule', async () => {
    const t = await task(w, { title: 'Nightly report' });
    const r = await ctx.call('POST', '/api/v1/automations', w.org.token, {
      name: 'Nightly',
      enabled: true,
      trigger: { type: 'schedule', schedule: { kind: 'daily', time: '18:00' }, target: { taskTypeIds: [w.workTypeId], statuses: ['todo'] } },
      actions: [{ type: 'webhook', url: hook.url }],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    clock.advance(24 * 3600_000);
    const [report] = (await runDueSchedules(ctx.deps, clock.now())).filter((x) => x.ruleId === r.body.id);
    assert.ok(report.tasks.some((x) => x.id === t.id));
    await worker().runOnce();
    const event = hook.received.map((x) => JSON.parse(x.body)).find((e) => e.ruleId === r.body.id && e.task.id === t.id);
    assert.deepEqual([event.type, event.occurrenceAt, event.transition], ['task.scheduled', report.occurrenceAt, null]);
    await ok(w, 'DELETE', `/api/v1/automations/${r.body.id}`);
  });

  it('includes the invoice when the task has one', async () => {
    const installed = ctx.deps.invoiceSummaryFor;
    ctx.deps.invoiceSummaryFor = async (_trx, _orgId, taskId) => ({ invoiceId: `inv-${taskId}`, number: 'F-2026-00007', totalCents: 123456, currency: 'CAD' });
    try {
      const t = await task(w, { title: 'Billed' });
      assert.equal((await complete(t.id)).status, 200);
      await worker().runOnce();
      const event = JSON.parse(hook.received.at(-1)!.body);
      assert.deepEqual(event.invoice, { id: `inv-${t.id}`, number: 'F-2026-00007', totalCents: 123456, currency: 'CAD' });
    } finally {
      ctx.deps.invoiceSummaryFor = installed;
    }
  });
});
