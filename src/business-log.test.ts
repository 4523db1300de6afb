import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, it } from 'node:test';
import { runScheduleNow } from './automation/schedule/index.ts';
import { loadConfig } from './config.ts';
import { line, ok, task, world, type World } from './consolidation/testkit.ts';
import { enqueue } from './outbox/index.ts';
import { createLogger } from './runtime.ts';
import { describeEachStore, fixedClock, testContext, type TestContext } from './testing/harness.ts';
import { createWorker } from './worker.ts';

/** The server's own logger at the default level, written to memory to be read back. */
function memoryLog() {
  const lines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      done();
    },
  });
  return { log: createLogger({ logLevel: loadConfig({}).logLevel }, sink), lines };
}

describeEachStore('business events in the log at the default level', (store) => {
  const clock = fixedClock('2026-03-16T15:00:00.000Z');
  let ctx: TestContext;
  let w: World;
  let clientId: string;
  const { log, lines } = memoryLog();
  const events = (event: string) => lines.filter((l) => l.event === event);

  before(async () => {
    ctx = await testContext(store, { clock, log });
    w = await world(ctx);
    clientId = (await ok(w, 'POST', '/api/v1/clients', { name: 'Réseau Boréal', taxRegion: 'QC', billingEmails: ['ap@boreal.example'] })).id;
  });
  after(() => ctx.close());

  it('logs the default level as info', () => assert.equal(log.level, 'info'));

  it('logs each invoice issued, once, with its ids, number and total — and nothing for a close that failed', async () => {
    const inv = await task(w, { typeId: w.invoiceTypeId, title: 'Facture de mars', clientId });
    await line(w, inv.id, 'Épissures', '2', 10_000);
    await ok(w, 'POST', `/api/v1/tasks/${inv.id}/transitions`, { to: 'closed' });
    const invoice = (await ok(w, 'GET', `/api/v1/invoices?taskId=${inv.id}`)).items[0];
    const issued = events('invoice_issued').filter((l) => l.taskId === inv.id);
    assert.equal(issued.length, 1);
    assert.deepEqual(
      [issued[0].level, issued[0].invoiceId, issued[0].number, issued[0].orgId, issued[0].clientId, issued[0].totalCents, issued[0].msg],
      [30, invoice.id, invoice.number, w.org.orgId, clientId, invoice.totals.totalCents ?? invoice.totalCents, `invoice ${invoice.number} issued`],
    );

    const empty = await task(w, { typeId: w.invoiceTypeId, title: 'Vide', clientId });
    const refused = await ctx.call('POST', `/api/v1/tasks/${empty.id}/transitions`, w.org.token, { to: 'closed' });
    assert.equal(refused.status, 409);
    assert.equal(events('invoice_issued').filter((l) => l.taskId === empty.id).length, 0, 'a refused close is not logged');

    // Issued, then undone in the same transaction by a rule failing after it: never said.
    const breaker = await ok(w, 'POST', '/api/v1/automations', {
      name: 'Breaks every close',
      enabled: true,
      trigger: { type: 'status_entered', status: 'closed', taskTypeIds: [w.invoiceTypeId] },
      actions: [{ type: 'transition_task', to: 'no_such_status' }],
    });
    const undone = await task(w, { typeId: w.invoiceTypeId, title: 'Annulée', clientId });
    await line(w, undone.id, 'Épissures', '1', 10_000);
    const rolledBack = await ctx.call('POST', `/api/v1/tasks/${undone.id}/transitions`, w.org.token, { to: 'closed' });
    assert.equal(rolledBack.status, 409, JSON.stringify(rolledBack.body));
    assert.equal((await ok(w, 'GET', `/api/v1/invoices?taskId=${undone.id}`)).items.length, 0);
    assert.equal(events('invoice_issued').filter((l) => l.taskId === undone.id).length, 0, 'a rolled-back issue is not logged');
    await ok(w, 'POST', `/api/v1/automations/${breaker.id}/disable`);
  });

  it('logs a rule that failed, with the rule, the task and the step', async () => {
    const rule = await ok(w, 'POST', '/api/v1/automations', {
      name: 'Broken follow-up',
      enabled: true,
      trigger: { type: 'status_entered', status: 'completed', taskTypeIds: [w.workTypeId] },
      actions: [{ id: 'close-it', type: 'transition_task', to: 'no_such_status' }],
    });
    const work = await task(w, { title: 'Site visit', clientId });
    const r = await ctx.call('POST', `/api/v1/tasks/${work.id}/transitions`, w.org.token, { to: 'completed' });
    assert.equal(r.status, 409);
    const failed = events('rule_failed').filter((l) => l.ruleId === rule.id);
    assert.equal(failed.length, 1);
    assert.deepEqual([failed[0].level, failed[0].taskId, failed[0].actionId, failed[0].orgId], [40, work.id, 'close-it', w.org.orgId]);
    assert.match(failed[0].msg, /^automation rule "Broken follow-up" failed at step close-it/);
    await ok(w, 'POST', `/api/v1/automations/${rule.id}/disable`);
  });

  it('logs each email sent, and each failed attempt, with the outbox and task ids', async () => {
    const queue = (subject: string) =>
      ctx.deps.db.kysely.transaction().execute((trx) =>
        enqueue(trx, {
          orgId: w.org.orgId,
          kind: 'email',
          payload: { to: ['ap@boreal.example'], subject, text: 'x', language: 'fr', attachments: [], notAttached: [], ruleId: null },
          messageDomain: 'chantier.local',
          at: ctx.deps.clock.now(),
        }),
      );
    const sent = await queue('Sent');
    assert.equal((await createWorker(ctx.deps).runOnce()).sent, 1); // no SMTP_URL: an .eml file
    const line1 = events('email_sent').find((l) => l.outboxId === sent.id);
    assert.ok(line1, JSON.stringify(lines.slice(-3)));
    assert.deepEqual([line1.level, line1.orgId, line1.msg], [30, w.org.orgId, `email ${sent.id} sent`]);

    const refused = await queue('Refused');
    const noServer = { ...ctx.deps, config: { ...ctx.deps.config, smtpUrl: 'smtp://127.0.0.1:1' } };
    assert.equal((await createWorker(noServer).runOnce()).retrying, 1);
    const line2 = events('email_retrying').find((l) => l.outboxId === refused.id);
    assert.ok(line2, JSON.stringify(lines.slice(-3)));
    assert.equal(line2.level, 40);
    assert.match(line2.msg, new RegExp(`^email ${refused.id} failed \\(will retry\\): `));
  });

  it('logs each scheduled occurrence that ran, and the invoices it issued', async () => {
    const inv = await task(w, { typeId: w.invoiceTypeId, title: 'Facture de fin de mois', clientId });
    await line(w, inv.id, 'Forfait', '1', 50_000);
    const rule = await ok(w, 'POST', '/api/v1/automations', {
      name: 'Month-end close',
      enabled: false,
      trigger: {
        type: 'schedule',
        schedule: { kind: 'monthly', day: 'last', time: '17:00' },
        target: { taskTypeIds: [w.invoiceTypeId], statusCategory: 'open', hasContent: true },
      },
      actions: [{ type: 'transition_task', to: 'closed' }],
    });
    const run = await runScheduleNow(ctx.deps, rule.id, clock.now());
    const ran = events('occurrence_ran').filter((l) => l.ruleId === rule.id);
    assert.equal(ran.length, 1);
    const { occurrenceId, succeeded } = run.report;
    assert.ok(succeeded >= 1);
    assert.deepEqual([ran[0].level, ran[0].occurrenceId, ran[0].orgId, ran[0].succeeded, ran[0].failed], [30, occurrenceId, w.org.orgId, succeeded, 0]);
    assert.match(ran[0].msg, new RegExp(`^scheduled rule "Month-end close" ran for .*: ${succeeded} succeeded, 0 failed, 0 skipped$`));
    assert.equal(events('invoice_issued').filter((l) => l.taskId === inv.id).length, 1, 'the invoice the run issued');
  });
});
