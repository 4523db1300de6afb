import { parse as parseContentDisposition } from 'content-disposition';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, type TestContext } from '../testing/harness.ts';
import { formatMoney } from './format.ts';
import { billing, billingContext, client, close, ok, pdfOf, pdfText, readyInvoice, type Billing } from './testkit.ts';

const plain = (s: string) => s.replace(/\u00a0/g, ' ');

describeEachStore('invoice PDF', (store) => {
  let ctx: TestContext;
  let b: Billing;
  before(async () => {
    ({ ctx } = await billingContext(store));
    b = await billing(ctx);
  });
  after(() => ctx.close());

  it('downloads as <number>.pdf, showing the number and the total', async () => {
    const c = await client(b, { name: 'Famille Tremblay', language: 'fr' });
    const inv = await close(b, (await readyInvoice(b, 10_000, c.id)).id);
    const pdf = await pdfOf(b, inv.id);
    assert.equal(pdf.status, 200, pdf.bytes.toString());
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const disposition = parseContentDisposition(String(pdf.headers['content-disposition']));
    assert.deepEqual([disposition.type, { ...disposition.parameters }], ['attachment', { filename: `${inv.number}.pdf` }]);
    assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
    const text = await pdfText(pdf.bytes);
    assert.ok(text.includes(inv.number), text);
    assert.ok(text.includes('Famille Tremblay'), text);
    assert.ok(text.includes(plain(formatMoney(11_498, 'fr'))), text);
  });

  it("shows a credit note's own number, the invoice it credits and the negative total", async () => {
    const inv = await close(b, (await readyInvoice(b, 10_000)).id);
    const cn = await ok(b, 'POST', `/api/v1/invoices/${inv.id}/credit-note`);
    const text = await pdfText((await pdfOf(b, cn.id)).bytes);
    assert.ok(text.includes(cn.number) && text.includes(inv.number), text);
    assert.ok(text.includes(plain(formatMoney(-11_498, 'fr'))), text);
  });

  it('answers 403 to a technician and 404 for another organization’s invoice', async () => {
    const inv = await close(b, (await readyInvoice(b)).id);
    const tech = await ctx.addUser(b.org, 'technician');
    assert.equal((await pdfOf(b, inv.id, tech.token)).status, 403);
    const other = await billing(ctx);
    const r = await pdfOf(b, inv.id, other.org.token);
    assert.equal(r.status, 404);
    assert.equal(JSON.parse(r.bytes.toString()).error.code, 'invoice_not_found');
  });
});
