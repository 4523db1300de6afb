import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, type TestContext } from '../testing/harness.ts';
import { formatMoney } from './format.ts';
import { billing, billingContext, client, close, invoiceTask, line, move, ok, pdfText, workTask, type Billing } from './testkit.ts';

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describeEachStore('invoice preview of a billing task', (store) => {
  let ctx: TestContext;
  let b: Billing;
  before(async () => {
    ({ ctx } = await billingContext(store));
    b = await billing(ctx);
    await ok(b, 'POST', `/api/v1/automations/${b.progressiveRuleId}/enable`);
  });
  after(() => ctx.close());

  const preview = async (taskId: string, token = b.org.token, query = '') => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tasks/${taskId}/invoice-preview.pdf${query}`,
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload };
  };

  it('shows the task’s current content in the invoice layout, marked as a preview, and takes no number', async () => {
    const c = await client(b, { name: 'Réseau Boréal', language: 'fr' });
    const inv = await invoiceTask(b, c.id, 'Facture mars');
    await line(b, inv.id, 'Frais de gestion', '1', 5_000);
    const work = await workTask(b, { title: 'Épissure fibre', clientId: c.id });
    await line(b, work.id, 'Épissure', '2', 2_500);
    assert.equal((await move(b, work.id, 'in_progress')).status, 200);
    assert.equal((await move(b, work.id, 'completed')).status, 200);

    const pdf = await preview(inv.id);
    assert.equal(pdf.status, 200, pdf.bytes.toString());
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="?apercu-FAC-\d+\.pdf"?$/);
    const text = plain(await pdfText(pdf.bytes));
    assert.ok(text.includes('APERÇU — non émise'), text);
    assert.ok(text.includes('Réseau Boréal') && text.includes('Frais de gestion') && text.includes('Épissure'), text);
    assert.ok(text.includes(`${work.displayNumber} — Épissure fibre`), text);
    // 100.00 $ subtotal, GST 5.00, QST 9.98 (half-up on the subtotal): 114.98 $
    assert.ok(text.includes(plain(formatMoney(11_498, 'fr'))), text);

    assert.equal((await ok(b, 'GET', `/api/v1/invoices?taskId=${inv.id}`)).items.length, 0, 'a preview issues nothing');
    const issued = await close(b, inv.id);
    const issuedText = plain(
      await pdfText(
        (await ctx.app.inject({ method: 'GET', url: `/api/v1/invoices/${issued.id}/pdf`, headers: { authorization: `Bearer ${b.org.token}` } })).rawPayload,
      ),
    );
    assert.ok(!issuedText.includes('APERÇU'), 'the issued invoice is not marked');
    assert.ok(issuedText.includes(issued.number) && issuedText.includes(`${work.displayNumber} — Épissure fibre`), issuedText);
  });

  it('is in the client’s language and can be shown inline', async () => {
    const c = await client(b, { name: 'Northern Fibre', language: 'en' });
    const inv = await invoiceTask(b, c.id, 'Invoice April');
    await line(b, inv.id, 'Splicing', '1', 1_000);
    const pdf = await preview(inv.id, b.org.token, '?disposition=inline');
    assert.equal(pdf.status, 200);
    assert.match(String(pdf.headers['content-disposition']), /^inline; filename="?preview-FAC-\d+\.pdf"?$/);
    const text = plain(await pdfText(pdf.bytes));
    assert.ok(text.includes('PREVIEW — not issued') && text.includes('Northern Fibre') && text.includes('Splicing'), text);
  });

  it('refuses a task that is not a billing task, a billing task without client, a technician and another organization', async () => {
    const c = await client(b);
    const work = await workTask(b, { title: 'Pavage', clientId: c.id });
    const notBilling = await preview(work.id);
    assert.equal(notBilling.status, 409);
    assert.equal(JSON.parse(notBilling.bytes.toString()).error.code, 'task_not_billing');

    const noClient = await invoiceTask(b, null);
    const r = await preview(noClient.id);
    assert.equal(r.status, 409);
    assert.equal(JSON.parse(r.bytes.toString()).error.code, 'invoice_client_required');

    const inv = await invoiceTask(b, c.id);
    const tech = await ctx.addUser(b.org, 'technician');
    assert.equal((await preview(inv.id, tech.token)).status, 403);
    const other = await billing(ctx);
    const foreign = await preview(inv.id, other.org.token);
    assert.equal(foreign.status, 404);
    assert.equal(JSON.parse(foreign.bytes.toString()).error.code, 'task_not_found');
  });
});
