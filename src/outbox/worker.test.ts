import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { openDatabase } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { emailDeliverer, type EmailPayload } from '../mail/index.ts';
import { startSmtp, type TestSmtp } from '../mail/testkit.ts';
import { describeEachStore, fixedClock, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { createWorker } from '../worker.ts';
import { claimDue, DEFAULT_LEASE_MS, enqueue } from './index.ts';

describeEachStore('outbox worker', (store) => {
  const clock = fixedClock();
  let ctx: TestContext;
  let smtp: TestSmtp;
  let org: Org;

  before(async () => {
    smtp = await startSmtp();
    ctx = await testContext(store, { clock, config: { smtpUrl: smtp.url } });
    org = await ctx.signup();
  });
  after(async () => {
    await ctx.close();
    await smtp.close();
  });

  const payload = (subject: string): EmailPayload => ({
    to: ['client@example.com'],
    subject,
    text: 'Bonjour',
    language: 'fr',
    attachments: [],
    notAttached: [],
    ruleId: null,
  });
  const queue = (subject: string, maxAttempts?: number) =>
    ctx.deps.db.kysely
      .transaction()
      .execute((trx) =>
        enqueue(trx, { orgId: org.orgId, kind: 'email', payload: payload(subject), messageDomain: 'martin.example', at: clock.now(), maxAttempts }),
      );
  const row = (id: string) => ctx.deps.db.kysely.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const receivedWith = (messageId: string) => smtp.received.filter((r) => r.mail.messageId === messageId);

  it('refuses to enqueue outside a transaction, and a rolled-back enqueue leaves no row', async () => {
    await assert.rejects(
      enqueue(ctx.deps.db.kysely, { orgId: org.orgId, kind: 'email', payload: payload('x'), messageDomain: 'martin.example', at: clock.now() }),
      /MUST run inside the transaction/,
    );
    let id = '';
    await assert.rejects(
      ctx.deps.db.kysely.transaction().execute(async (trx) => {
        id = (await enqueue(trx, { orgId: org.orgId, kind: 'email', payload: payload('x'), messageDomain: 'martin.example', at: clock.now() })).id;
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.ok(id);
    assert.equal(await ctx.deps.db.kysely.selectFrom('outbox').select('id').where('id', '=', id).executeTakeFirst(), undefined);
  });

  it('lets two workers run rounds at once without ever sending one message twice', async () => {
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push(await queue(`concurrent ${i}`));
    // On PostgreSQL the second worker has its own pool on the same schema, as a second process would.
    const other = store === 'postgres' ? openDatabase({ url: process.env.TEST_DATABASE_URL!, schema: ctx.deps.db.schema, poolSize: 4 }) : ctx.deps.db;
    const depsB: Deps = { ...ctx.deps, db: other };
    const a = createWorker(ctx.deps, { workerId: 'a', batchSize: 2 });
    const b = createWorker(depsB, { workerId: 'b', batchSize: 2 });
    const claimed = { a: 0, b: 0 };
    try {
      for (;;) {
        const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
        claimed.a += ra.claimed;
        claimed.b += rb.claimed;
        if (ra.claimed + rb.claimed === 0) break;
      }
    } finally {
      if (other !== ctx.deps.db) await other.close();
    }
    assert.equal(claimed.a + claimed.b, 12, JSON.stringify(claimed));
    for (const { id, messageId } of ids) {
      assert.equal(receivedWith(messageId).length, 1, `${messageId} arrived ${receivedWith(messageId).length} times`);
      const r = await row(id);
      assert.equal(r.state, 'sent');
      assert.equal(r.attempts, 1);
    }
  });

  it('delivers again, with the same Message-ID, a row whose worker died after the SMTP server accepted it, once its lease expires', async () => {
    const { id, messageId } = await queue('lease');
    const [claimed] = await claimDue(ctx.deps.db, { workerId: 'doomed', kinds: ['email'], now: clock.now(), leaseMs: DEFAULT_LEASE_MS, limit: 1 });
    assert.equal(claimed.id, id);
    await emailDeliverer(ctx.deps).deliver(claimed); // accepted by the server… then the worker dies before recording it
    assert.equal((await row(id)).state, 'sending');

    const live = createWorker(ctx.deps, { workerId: 'live' });
    assert.equal((await live.runOnce()).claimed, 0, 'the lease still holds the row');
    clock.advance(DEFAULT_LEASE_MS + 1000);
    assert.deepEqual(await live.runOnce(), { claimed: 1, sent: 1, retrying: 0, failed: 0 });
    const again = receivedWith(messageId);
    assert.equal(again.length, 2, 'at least once: the receiver sees it twice, recognisably');
    assert.ok(again.every((r) => r.mail.messageId === messageId));
    const r = await row(id);
    assert.equal(r.state, 'sent');
    assert.equal(r.attempts, 2);
    assert.equal(r.locked_by, null);
  });

  it('fails a row whose worker died during its last attempt instead of leaving it sending', async () => {
    const { id } = await queue('last try', 1);
    await claimDue(ctx.deps.db, { workerId: 'doomed', kinds: ['email'], now: clock.now(), leaseMs: DEFAULT_LEASE_MS, limit: 1 });
    clock.advance(DEFAULT_LEASE_MS + 1000);
    assert.equal((await createWorker(ctx.deps).runOnce()).claimed, 0);
    const r = await row(id);
    assert.equal(r.state, 'failed');
    assert.match(r.last_error ?? '', /lease expired/);
  });
});
