import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startSmtp, type TestSmtp } from '../mail/testkit.ts';
import { describeEachStore, fixedClock, testContext, type TestContext } from '../testing/harness.ts';
import { createWorker } from '../worker.ts';
import { formatMoney } from './format.ts';
import { billing, client, ISSUE_INSTANT, move, ok, pdfText, readyInvoice, type Billing } from './testkit.ts';

describeEachStore('emailing an issued invoice', (store) => {
  let ctx: TestContext;
  let smtp: TestSmtp;
  let b: Billing;
  before(async () => {
    smtp = await startSmtp();
    ctx = await testContext(store, { clock: fixedClock(ISSUE_INSTANT), config: { smtpUrl: smtp.url, mailFrom: 'Pavage Martin <factures@martin.example>' } });
    b = await billing(ctx);
  });
  after(async () => {
    await ctx.close();
    await smtp.close();
  });

  it('sends the invoice issued by the same closing transition, numbered and totalled, with its PDF', async () => {
    await ok(b, 'POST', '/api/v1/automations', {
      name: 'Send the invoice',
      enabled: true,
      trigger: { type: 'status_entered', status: 'closed', taskTypeIds: [b.invoiceTypeId] },
      actions: [
        {
          type: 'send_email',
          to: { clientBilling: true },
          templates: {
            fr: { subject: 'Facture {invoice.number}', body: 'Bonjour {client.name},\nTotal : {invoice.total}\n' },
            en: { subject: 'Invoice {invoice.number}', body: 'Hello {client.name},\nTotal: {invoice.total}\n' },
          },
          attach: { invoicePdf: true },
        },
      ],
    });
    const c = await client(b, { name: 'Famille Tremblay', billingEmails: ['tremblay@example.com'] });
    const t = await readyInvoice(b, 10_000, c.id);
    assert.equal((await move(b, t.id, 'closed')).status, 200);
    assert.equal((await createWorker(ctx.deps).runOnce()).sent, 1);

    const { mail, rcptTo } = smtp.received.at(-1)!;
    assert.deepEqual(rcptTo, ['tremblay@example.com']);
    assert.equal(mail.subject, 'Facture F-2026-00001');
    assert.ok(mail.text!.includes(`Total : ${formatMoney(11_498, 'fr')}`), mail.text);
    assert.equal(mail.attachments.length, 1);
    assert.equal(mail.attachments[0].filename, 'F-2026-00001.pdf');
    assert.equal(mail.attachments[0].contentType, 'application/pdf');
    const text = await pdfText(mail.attachments[0].content);
    assert.ok(text.includes('F-2026-00001') && text.includes(formatMoney(11_498, 'fr').replace(/\u00a0/g, ' ')), text);
  });

  it('closes the invoice of a client with no billing email under an organization-wide email rule: the email step is skipped and logged', async () => {
    const rule = await ok(b, 'POST', '/api/v1/automations', {
      name: 'Email every invoice',
      enabled: true,
      trigger: { type: 'status_entered', status: 'closed', taskTypeIds: [b.invoiceTypeId] },
      actions: [
        {
          id: 'email',
          type: 'send_email',
          to: { clientBilling: true },
          templates: { fr: { subject: 'Facture', body: 'x' }, en: { subject: 'Invoice', body: 'x' } },
          attach: { invoicePdf: true },
        },
      ],
    });
    try {
      const c = await client(b, { name: 'Client sans courriel' });
      const t = await readyInvoice(b, 10_000, c.id);
      const r = await move(b, t.id, 'closed');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const invoices = await ok(b, 'GET', `/api/v1/invoices?taskId=${t.id}`);
      assert.equal(invoices.items.length, 1);
      const [run] = (await ok(b, 'GET', `/api/v1/automation-runs?ruleId=${rule.id}&taskId=${t.id}`)).items;
      assert.equal(run.outcome, 'succeeded');
      assert.equal(run.actions[0].outcome, 'skipped');
      assert.equal(run.actions[0].detail.reason, 'no_recipients');
      assert.equal((await createWorker(ctx.deps).runOnce()).claimed, 0);
    } finally {
      await ok(b, 'DELETE', `/api/v1/automations/${rule.id}`);
    }
  });
});
