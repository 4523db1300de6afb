import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { BASE_DELAY_MS, DEFAULT_MAX_ATTEMPTS, MAX_DELAY_MS } from '../outbox/index.ts';
import { tinyPng, upload } from '../task-content/testkit.ts';
import { describeEachStore, fixedClock, testContext, type TestContext } from '../testing/harness.ts';
import { createWorker } from '../worker.ts';
import { emlFileName } from './index.ts';
import { mailWorld, onCompleted, outboxRows, startSmtp, templates, type MailWorld, type TestSmtp } from './testkit.ts';

describeEachStore('emails: retries, failure, the emails API and retry', (store) => {
  const clock = fixedClock();
  let ctx: TestContext;
  let smtp: TestSmtp;
  let w: MailWorld;
  let client: { id: string };

  before(async () => {
    smtp = await startSmtp();
    ctx = await testContext(store, { clock, config: { smtpUrl: smtp.url } });
    w = await mailWorld(ctx);
    client = await w.call('POST', '/clients', { name: 'Réseau Boréal', billingEmails: ['compta@boreal.example'] });
    await onCompleted(w, [{ type: 'send_email', to: { clientBilling: true }, templates }]);
  });
  after(async () => {
    await ctx.close();
    await smtp.close();
  });

  const completedTask = async (title = 'Fibre, rue Principale') => {
    const task = await w.call('POST', '/tasks', { typeId: w.workTypeId, title, clientId: client.id });
    await w.call('POST', `/tasks/${task.id}/transitions`, { to: 'completed' });
    return task;
  };

  it('retries a refused email with growing, capped backoff, then fails it with the reason after max attempts', async () => {
    smtp.refuse = 'mailbox unavailable';
    const task = await completedTask();
    const [{ id }] = (await outboxRows(ctx, w.org.orgId)).filter((r) => r.task_id === task.id);
    const worker = createWorker(ctx.deps);
    for (let attempt = 1; attempt <= DEFAULT_MAX_ATTEMPTS; attempt++) {
      const round = await worker.runOnce();
      const email = await w.call('GET', `/emails/${id}`);
      assert.equal(email.attempts, attempt);
      assert.match(email.lastError, /mailbox unavailable/);
      if (attempt === DEFAULT_MAX_ATTEMPTS) {
        assert.deepEqual(round, { claimed: 1, sent: 0, retrying: 0, failed: 1 });
        assert.equal(email.state, 'failed');
        break;
      }
      assert.deepEqual(round, { claimed: 1, sent: 0, retrying: 1, failed: 0 });
      assert.equal(email.state, 'pending');
      const wait = Date.parse(email.nextAttemptAt) - clock.now().getTime();
      const ceiling = Math.min(BASE_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS);
      assert.ok(wait >= ceiling / 2 && wait <= ceiling, `attempt ${attempt}: waits ${wait} ms, expected ${ceiling / 2}–${ceiling}`);
      assert.equal((await worker.runOnce()).claimed, 0, 'not due before its time');
      clock.advance(wait);
    }
    clock.advance(MAX_DELAY_MS);
    assert.equal((await worker.runOnce()).claimed, 0, 'a failed email is never tried again on its own');
    assert.equal(smtp.received.length, 0);

    const failed = await w.call('GET', `/emails?state=failed&taskId=${task.id}`);
    assert.deepEqual(
      failed.items.map((e: { id: string }) => e.id),
      [id],
    );
    assert.match(failed.items[0].lastError, /550/);

    smtp.refuse = null;
    const retried = await w.call('POST', `/emails/${id}/retry`);
    assert.equal(retried.state, 'pending');
    assert.equal(retried.attempts, 0);
    const again = await ctx.call('POST', `/api/v1/emails/${id}/retry`, w.org.token);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'email_not_failed');
    assert.deepEqual(await worker.runOnce(), { claimed: 1, sent: 1, retrying: 0, failed: 0 });
    const sent = await w.call('GET', `/emails/${id}`);
    assert.equal(sent.state, 'sent');
    assert.equal(sent.sentAt, clock.now().toISOString());
    assert.equal(smtp.received.length, 1);
    assert.equal(smtp.received[0].mail.messageId, sent.messageId);
  });

  it('lists emails newest first with filters and pages, shows one with its text, and keeps them to admins and dispatchers of the org', async () => {
    const t1 = await completedTask('Première');
    const t2 = await completedTask('Deuxième');
    const page1 = await w.call('GET', '/emails?limit=1');
    assert.equal(page1.items.length, 1);
    assert.equal(page1.items[0].taskId, t2.id);
    assert.equal(page1.items[0].subject, `Travaux terminés : ${t2.displayNumber} — Deuxième`);
    assert.deepEqual(page1.items[0].to, ['compta@boreal.example']);
    assert.equal(page1.items[0].text, undefined, 'the list leaves the text out');
    const page2 = await w.call('GET', `/emails?limit=1&cursor=${page1.nextCursor}`);
    assert.equal(page2.items[0].taskId, t1.id);
    const pending = await w.call('GET', '/emails?state=pending');
    assert.deepEqual(
      pending.items.map((e: { taskId: string }) => e.taskId),
      [t2.id, t1.id],
    );
    const one = await w.call('GET', `/emails/${page1.items[0].id}`);
    assert.match(one.text, /^Bonjour Réseau Boréal,/);
    assert.match(one.messageId, /^<.+@chantier\.local>$/);

    const dispatcher = await ctx.addUser(w.org, 'dispatcher');
    assert.equal((await ctx.call('GET', '/api/v1/emails', dispatcher.token)).status, 200);
    const tech = await ctx.addUser(w.org, 'technician');
    assert.equal((await ctx.call('GET', '/api/v1/emails', tech.token)).status, 403);
    const stranger = await ctx.signup();
    assert.equal((await ctx.call('GET', `/api/v1/emails/${one.id}`, stranger.token)).status, 404);
    assert.equal((await ctx.call('POST', `/api/v1/emails/${one.id}/retry`, stranger.token)).status, 404);
    assert.deepEqual((await ctx.call('GET', '/api/v1/emails', stranger.token)).body.items, []);
    await createWorker(ctx.deps).runOnce(); // leave nothing pending for the next test
  });

  it("sends from the organization's sender name (else its name) at MAIL_FROM's address, with Reply-To its email when set", async () => {
    const org = await w.call('GET', '/organization');
    const before = smtp.received.at(-1)!.mail;
    assert.deepEqual(before.from?.value, [{ name: org.name, address: 'no-reply@chantier.local' }]);
    assert.equal(before.replyTo, undefined, 'no organization email: no Reply-To');

    await w.call('PATCH', '/organization', { emailSenderName: 'Boréal, facturation', email: 'bureau@boreal.example' });
    await completedTask('Avec expéditeur');
    assert.equal((await createWorker(ctx.deps).runOnce()).sent, 1);
    const mail = smtp.received.at(-1)!.mail;
    assert.equal(mail.subject?.endsWith('Avec expéditeur'), true);
    assert.deepEqual(mail.from?.value, [{ name: 'Boréal, facturation', address: 'no-reply@chantier.local' }]);
    assert.deepEqual(mail.replyTo?.value, [{ name: '', address: 'bureau@boreal.example' }]);
  });
});

describeEachStore('emails without SMTP_URL', (store) => {
  let ctx: TestContext;
  let w: MailWorld;
  before(async () => {
    ctx = await testContext(store, { clock: fixedClock() });
    w = await mailWorld(ctx);
  });
  after(() => ctx.close());

  it('writes each email as a .eml file under the data folder, named by its Message-ID, that parses back', async () => {
    assert.equal(ctx.deps.config.smtpUrl, null);
    const client = await w.call('POST', '/clients', { name: 'Acme Paving', language: 'en', billingEmails: ['ap@acme.example'] });
    await onCompleted(w, [{ type: 'send_email', to: { clientBilling: true }, templates, attach: { taskFiles: 'photos' } }]);
    const task = await w.call('POST', '/tasks', { typeId: w.workTypeId, title: 'Driveway', clientId: client.id });
    const photo = tinyPng();
    await upload(ctx, w.org.token, task.id, 'after.png', photo);
    await w.call('POST', `/tasks/${task.id}/transitions`, { to: 'completed' });
    assert.equal((await createWorker(ctx.deps).runOnce()).sent, 1);

    const [row] = await outboxRows(ctx, w.org.orgId);
    const file = join(ctx.deps.config.dataDir, 'outbox', emlFileName(row.message_id));
    const mail = await simpleParser(await readFile(file));
    assert.equal(mail.messageId, row.message_id);
    assert.equal(mail.subject, `Work completed: ${task.displayNumber} — Driveway`);
    assert.deepEqual(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : null, ['ap@acme.example']);
    assert.ok(mail.attachments[0].content.equals(photo));
  });
});
