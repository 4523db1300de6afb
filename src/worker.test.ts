import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { buildApp } from './app.ts';
import { startSmtp, type TestSmtp } from './mail/testkit.ts';
import { enqueue } from './outbox/index.ts';
import { describeEachStore, testContext, type Org, type TestContext } from './testing/harness.ts';
import { runWorkerWithApp } from './worker.ts';

describeEachStore('the worker inside chantier serve', (store) => {
  let ctx: TestContext;
  let smtp: TestSmtp;
  let org: Org;
  before(async () => {
    smtp = await startSmtp();
    ctx = await testContext(store, { config: { smtpUrl: smtp.url } });
    org = await ctx.signup();
  });
  after(async () => {
    await ctx.close();
    await smtp.close();
  });

  const queue = () =>
    ctx.deps.db.kysely.transaction().execute((trx) =>
      enqueue(trx, {
        orgId: org.orgId,
        kind: 'email',
        payload: { to: ['client@example.com'], subject: 'Loop', text: 'x', language: 'fr', attachments: [], notAttached: [], ruleId: null },
        messageDomain: 'chantier.local',
        at: ctx.deps.clock.now(),
      }),
    );

  it('delivers on its own while the app runs, and stops when the app closes', { timeout: 20_000 }, async () => {
    const app = await buildApp(ctx.deps);
    const worker = runWorkerWithApp(app, ctx.deps, { pollMs: 10 });
    assert.ok(worker);
    await app.ready();
    const { id, messageId } = await queue();
    await smtp.waitFor(1);
    assert.equal(smtp.received[0].mail.messageId, messageId);
    await app.close();
    const row = await ctx.deps.db.kysely.selectFrom('outbox').select('state').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.state, 'sent', 'close waits for the round in flight to record its outcome');
  });

  it('starts no worker when CHANTIER_WORKER=off', async () => {
    const off = { ...ctx.deps, config: { ...ctx.deps.config, worker: false } };
    const app = await buildApp(off);
    assert.equal(runWorkerWithApp(app, off), null);
    await app.close();
  });
});
