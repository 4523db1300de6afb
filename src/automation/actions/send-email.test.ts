import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { mailWorld, onCompleted, outboxRows, startSmtp, templates, type MailWorld, type TestSmtp } from '../../mail/testkit.ts';
import { createWorker } from '../../worker.ts';
import { tinyPng, upload } from '../../task-content/testkit.ts';
import { describeEachStore, fixedClock, testContext, type TestContext } from '../../testing/harness.ts';

describeEachStore('send_email action', (store) => {
  let ctx: TestContext;
  let smtp: TestSmtp;
  let w: MailWorld;
  let tech: { userId: string; email: string };
  let boreal: { id: string };
  let acme: { id: string };

  before(async () => {
    smtp = await startSmtp();
    ctx = await testContext(store, { clock: fixedClock(), config: { smtpUrl: smtp.url, mailFrom: 'Martin Excavation <factures@martin.example>' } });
    w = await mailWorld(ctx);
    const t = await ctx.addUser(w.org, 'technician', { email: 'Kim.Tech@martin.example' });
    tech = { userId: t.userId, email: 'Kim.Tech@martin.example' };
    boreal = await w.call('POST', '/clients', { name: 'Réseau Boréal', language: 'fr', billingEmails: ['compta@boreal.example', 'direction@boreal.example'] });
    acme = await w.call('POST', '/clients', { name: 'Acme Paving', language: 'en', billingEmails: ['ap@acme.example'] });
  });
  after(async () => {
    await ctx.close();
    await smtp.close();
  });

  const newTask = (fields: Record<string, unknown>) => w.call('POST', '/tasks', { typeId: w.workTypeId, title: 'Pavage stationnement', ...fields });
  const complete = (id: string) => ctx.call('POST', `/api/v1/tasks/${id}/transitions`, w.org.token, { to: 'completed' });
  const withRule = async (actions: Record<string, unknown>[], fn: () => Promise<void>) => {
    const rule = await onCompleted(w, actions);
    try {
      await fn();
    } finally {
      await w.call('DELETE', `/automations/${rule.id}`);
    }
  };

  it('emails the French client after commit: recipients de-duplicated, French subject, variables filled, the photo byte-identical, Message-ID of the row', async () => {
    const photo = tinyPng();
    await withRule(
      [
        {
          type: 'send_email',
          to: { clientBilling: true, assignees: true, addresses: ['COMPTA@boreal.example', 'chef@martin.example'] },
          templates,
          attach: { taskFiles: 'photos' },
        },
      ],
      async () => {
        const task = await newTask({ clientId: boreal.id, assigneeIds: [tech.userId] });
        assert.equal((await upload(ctx, w.org.token, task.id, 'chantier.png', photo)).status, 201);
        assert.equal((await upload(ctx, w.org.token, task.id, 'devis.txt', Buffer.from('not a photo\n'))).status, 201);
        const r = await complete(task.id);
        assert.equal(r.status, 200, JSON.stringify(r.body));

        const [row] = (await outboxRows(ctx, w.org.orgId)).filter((x) => x.task_id === task.id);
        assert.equal(row.state, 'pending');
        assert.match(row.message_id, /^<[0-9a-f-]{36}@martin\.example>$/);
        assert.equal(smtp.received.length, 0, 'nothing is sent inside the transition');

        const round = await createWorker(ctx.deps, { workerId: 'w1' }).runOnce();
        assert.deepEqual(round, { claimed: 1, sent: 1, retrying: 0, failed: 0 });
        const { mail, rcptTo } = smtp.received.at(-1)!;
        assert.deepEqual(rcptTo, ['compta@boreal.example', 'direction@boreal.example', 'Kim.Tech@martin.example', 'chef@martin.example']);
        assert.equal(mail.messageId, row.message_id);
        assert.equal(mail.subject, `Travaux terminés : ${task.displayNumber} — Pavage stationnement`);
        assert.match(mail.text!, /^Bonjour Réseau Boréal,/);
        assert.ok(mail.text!.includes(`La tâche ${task.displayNumber} (Pavage stationnement) est terminée.`), mail.text);
        assert.ok(mail.text!.includes(`Suivi : http://localhost:3000/tasks/${task.id}`), mail.text);
        assert.ok(mail.text!.includes('Facture :  \n'), 'invoice variables render empty without invoicing');
        // The organization's name (it has no sender name) at MAIL_FROM's address.
        const orgName = (await w.call('GET', '/organization')).name;
        assert.deepEqual(
          mail.from!.value.map((a) => [a.name, a.address]),
          [[orgName, 'factures@martin.example']],
        );
        assert.equal(mail.attachments.length, 1);
        assert.equal(mail.attachments[0].filename, 'chantier.png');
        assert.equal(mail.attachments[0].contentType, 'image/png');
        assert.ok(mail.attachments[0].content.equals(photo), 'attachment bytes differ');

        const [sent] = (await outboxRows(ctx, w.org.orgId)).filter((x) => x.id === row.id);
        assert.equal(sent.state, 'sent');
        assert.equal(sent.sent_at, ctx.deps.clock.now().toISOString());
        assert.equal(sent.attempts, 1);
      },
    );
  });

  it('writes in English to an English-speaking client, and files under the cap are attached while the others are listed', async () => {
    await withRule([{ type: 'send_email', to: { clientBilling: true }, templates, attach: { taskFiles: 'all', maxTotalBytes: 1000 } }], async () => {
      const task = await newTask({ clientId: acme.id, title: 'Parking lot' });
      await upload(ctx, w.org.token, task.id, 'big.txt', Buffer.alloc(900, 'a'));
      await upload(ctx, w.org.token, task.id, 'too-big.txt', Buffer.alloc(300, 'b'));
      await upload(ctx, w.org.token, task.id, 'small.txt', Buffer.alloc(50, 'c'));
      assert.equal((await complete(task.id)).status, 200);
      await createWorker(ctx.deps).runOnce();
      const { mail, rcptTo } = smtp.received.at(-1)!;
      assert.deepEqual(rcptTo, ['ap@acme.example']);
      assert.equal(mail.subject, `Work completed: ${task.displayNumber} — Parking lot`);
      assert.match(mail.text!, /^Hello Acme Paving,/);
      assert.deepEqual(
        mail.attachments.map((a) => a.filename),
        ['big.txt', 'small.txt'],
      );
      assert.ok(mail.text!.includes('Files not attached (total size limited to 1,000 B):\n- too-big.txt (300 B)'), mail.text);
    });
  });

  it('leaves no outbox row when another action of the rule fails and the transition rolls back', async () => {
    const before = (await outboxRows(ctx, w.org.orgId)).length;
    await withRule(
      [
        { type: 'send_email', to: { clientBilling: true }, templates },
        { type: 'transition_task', task: 'self', to: 'nowhere' },
      ],
      async () => {
        const task = await newTask({ clientId: boreal.id });
        const r = await complete(task.id);
        assert.equal(r.status, 409);
        assert.equal(r.body.error.code, 'automation_failed');
        assert.equal(r.body.error.details.reasonCode, 'transition_not_allowed');
        assert.equal((await outboxRows(ctx, w.org.orgId)).length, before);
        assert.equal((await createWorker(ctx.deps).runOnce()).claimed, 0);
      },
    );
  });

  it('skips the step when nobody resolves, records why in the run log, and lets the transition and the next steps go on', async () => {
    const before = (await outboxRows(ctx, w.org.orgId)).length;
    const silent = await w.call('POST', '/clients', { name: 'Client sans courriel', language: 'fr' });
    await withRule(
      [
        { id: 'mail', type: 'send_email', to: { clientBilling: true, assignees: true }, templates },
        { id: 'after', type: 'transition_task', task: 'self', to: 'in_progress' },
      ],
      async () => {
        for (const task of [await newTask({}), await newTask({ clientId: silent.id })]) {
          // nobody assigned
          const r = await complete(task.id);
          assert.equal(r.status, 200, JSON.stringify(r.body));
          assert.equal((await w.call('GET', `/tasks/${task.id}`)).status, 'in_progress');
          const [run] = (await w.call('GET', `/automation-runs?taskId=${task.id}`)).items;
          assert.equal(run.outcome, 'succeeded');
          assert.deepEqual(run.actions[0], {
            id: 'mail',
            type: 'send_email',
            outcome: 'skipped',
            detail: { reason: 'no_recipients', to: { clientBilling: true, assignees: true } },
          });
          assert.equal(run.actions[1].outcome, 'done');
        }
        assert.equal((await outboxRows(ctx, w.org.orgId)).length, before);
      },
    );
  });

  it('refuses at save time a template naming an unknown variable, or no recipient at all', async () => {
    const bad = await ctx.call('POST', '/api/v1/automations', w.org.token, {
      name: 'Typo',
      trigger: { type: 'status_entered', status: 'completed' },
      actions: [{ type: 'send_email', to: { clientBilling: true }, templates: { ...templates, en: { subject: 'Done {task.nmber}', body: 'x' } } }],
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'unknown_template_variable');
    assert.equal(bad.body.error.details.field, 'actions.0.templates.en.subject');
    assert.deepEqual(bad.body.error.details.unknown, ['task.nmber']);
    const none = await ctx.call('POST', '/api/v1/automations', w.org.token, {
      name: 'Nobody',
      trigger: { type: 'status_entered', status: 'completed' },
      actions: [{ type: 'send_email', to: { addresses: [] }, templates }],
    });
    assert.equal(none.status, 400);
  });

  it('fills {invoice.*} and attaches the invoice PDF through the lookup and resolver invoicing registers', async () => {
    const pdf = Buffer.from('%PDF-1.4 test invoice\n');
    ctx.deps.invoiceSummaryFor = async (_trx, _orgId, taskId) => ({ invoiceId: `inv-${taskId}`, number: 'FAC-2026-0007', totalCents: 123456, currency: 'CAD' });
    ctx.deps.attachmentResolvers.invoice_pdf = async (ref, { orgId }) => {
      assert.equal(orgId, w.org.orgId);
      return { filename: `${ref.invoiceId}.pdf`, contentType: 'application/pdf', content: pdf };
    };
    try {
      await withRule([{ type: 'send_email', to: { clientBilling: true }, templates, attach: { invoicePdf: true } }], async () => {
        const task = await newTask({ clientId: boreal.id });
        assert.equal((await complete(task.id)).status, 200);
        await createWorker(ctx.deps).runOnce();
        const { mail } = smtp.received.at(-1)!;
        assert.match(mail.text!, /Facture : FAC-2026-0007 1\s234,56\s\$\n/u);
        assert.equal(mail.attachments[0].filename, `inv-${task.id}.pdf`);
        assert.ok(mail.attachments[0].content.equals(pdf));
      });
    } finally {
      delete ctx.deps.invoiceSummaryFor;
      delete ctx.deps.attachmentResolvers.invoice_pdf;
    }
    await withRule([{ type: 'send_email', to: { clientBilling: true }, templates, attach: { invoicePdf: true } }], async () => {
      const task = await newTask({ clientId: boreal.id });
      const r = await complete(task.id);
      assert.equal(r.status, 409);
      assert.equal(r.body.error.details.reasonCode, 'invoice_pdf_unavailable');
    });
  });
});
