import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, type TestContext } from '../testing/harness.ts';
import { billing, billingContext, client, invoiceOf, line, move, ok, pdfOf, pdfText, readyInvoice, type Billing } from './testkit.ts';

const address = { line1: '1200 boulevard René-Lévesque', city: 'Montréal', region: 'QC', postalCode: 'H3B 1A1' };
const GST = '123456789RT0001';
const QST = '1234567890TQ0001';

describeEachStore('seller details required to charge a tax, and small suppliers', (store) => {
  let ctx: TestContext;
  before(async () => {
    ({ ctx } = await billingContext(store));
  });
  after(() => ctx.close());

  const organization = (b: Billing) => ok(b, 'GET', '/api/v1/organization');
  const setOrganization = (b: Billing, body: Record<string, unknown>) => ok(b, 'PATCH', '/api/v1/organization', body);
  const invoicesOf = async (b: Billing) => (await ok(b, 'GET', '/api/v1/invoices')).items;

  it('refuses to close an invoice charging GST and QST for a new organization, naming what is missing, and writes nothing', async () => {
    const b = await billing(ctx, { sellerDetails: false });
    const org = await organization(b);
    assert.deepEqual(org.invoicing, {
      ready: false,
      missing: ['address', 'gstNumber', 'qstNumber'],
      missingByTax: { GST: ['address', 'gstNumber'], HST: ['address', 'gstNumber'], QST: ['address', 'qstNumber'] },
    });
    const t = await readyInvoice(b); // a Quebec client: GST and QST
    const r = await move(b, t.id, 'closed');
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'invoice_seller_details_missing');
    assert.deepEqual(r.body.error.details, { missing: ['address', 'gstNumber', 'qstNumber'], taxes: ['GST', 'QST'] });
    assert.equal((await ok(b, 'GET', `/api/v1/tasks/${t.id}`)).status, 'open');
    assert.deepEqual(await invoicesOf(b), []);

    // Completed, the same close issues the first number: the refusal used none.
    await setOrganization(b, { address, gstNumber: GST, qstNumber: QST });
    assert.deepEqual((await organization(b)).invoicing, { ready: true, missing: [], missingByTax: { GST: [], HST: [], QST: [] } });
    const r2 = await move(b, t.id, 'closed');
    assert.equal(r2.status, 200, JSON.stringify(r2.body));
    const inv = await invoiceOf(b, t.id);
    assert.equal(inv.number, 'F-2026-00001');
    assert.deepEqual([inv.seller.gstNumber, inv.seller.qstNumber, inv.seller.smallSupplier], [GST, QST, false]);
  });

  it('asks only for what the taxes actually charged need: QST number for Quebec, nothing for exempt clients or exempt lines', async () => {
    const b = await billing(ctx, { sellerDetails: false });
    const exemptClient = await client(b, { name: 'Bande de Kahnawake', taxRegion: 'exempt' });
    const exempt = await readyInvoice(b, 10_000, exemptClient.id);
    assert.equal((await move(b, exempt.id, 'closed')).status, 200, 'no tax charged: nothing required');

    const quebec = await client(b, { name: 'Famille Tremblay', taxRegion: 'QC' });
    const exemptLines = await ok(b, 'POST', '/api/v1/tasks', { typeId: b.invoiceTypeId, title: 'Exonéré', clientId: quebec.id });
    await line(b, exemptLines.id, 'Frais exonérés', '1', 5_000, 'exempt');
    assert.equal((await move(b, exemptLines.id, 'closed')).status, 200, 'only exempt lines: no tax charged');

    await setOrganization(b, { address, gstNumber: GST });
    assert.deepEqual((await organization(b)).invoicing, { ready: false, missing: ['qstNumber'], missingByTax: { GST: [], HST: [], QST: ['qstNumber'] } });
    const ontario = await client(b, { name: 'Réseau Boréal', taxRegion: 'ON' });
    const hst = await readyInvoice(b, 10_000, ontario.id);
    assert.equal((await move(b, hst.id, 'closed')).status, 200, 'HST needs the GST/HST number only');
    const qc = await readyInvoice(b, 10_000, quebec.id);
    const refused = await move(b, qc.id, 'closed');
    assert.equal(refused.status, 409);
    assert.deepEqual(refused.body.error.details, { missing: ['qstNumber'], taxes: ['GST', 'QST'] });
  });

  it('lets a small supplier invoice with no tax and no registration, and its PDF says so, in French and English; the credit note mirrors it', async () => {
    const b = await billing(ctx, { sellerDetails: false });
    const org = await setOrganization(b, { name: 'Déneigement Lapointe', smallSupplier: true });
    assert.equal(org.smallSupplier, true);
    assert.deepEqual(org.invoicing, { ready: true, missing: [], missingByTax: { GST: [], HST: [], QST: [] } });

    const fr = await client(b, { name: 'Famille Tremblay', taxRegion: 'QC', language: 'fr' });
    const inv = await (async () => {
      const t = await readyInvoice(b, 10_000, fr.id);
      assert.equal((await move(b, t.id, 'closed')).status, 200);
      return invoiceOf(b, t.id);
    })();
    assert.deepEqual([inv.totals.taxes, inv.totals.taxCents, inv.totals.totalCents, inv.taxRegion, inv.buyer.taxRegion], [[], 0, 10_000, 'exempt', 'QC']);
    assert.equal(inv.seller.smallSupplier, true);
    const pdf = await pdfOf(b, inv.id);
    const text = await pdfText(pdf.bytes);
    assert.match(text, /Petit fournisseur — aucune taxe perçue/);
    assert.doesNotMatch(text, /TPS|TVQ/);

    const en = await client(b, { name: 'Acme Paving', taxRegion: 'ON', language: 'en' });
    const t2 = await readyInvoice(b, 20_000, en.id);
    assert.equal((await move(b, t2.id, 'closed')).status, 200);
    const inv2 = await invoiceOf(b, t2.id);
    assert.equal(inv2.totals.totalCents, 20_000);
    assert.match(await pdfText((await pdfOf(b, inv2.id)).bytes), /Small supplier — no tax charged/);

    const credit = await ok(b, 'POST', `/api/v1/invoices/${inv.id}/credit-note`);
    const note = (await ok(b, 'GET', `/api/v1/invoices?kind=credit_note`)).items.find(
      (i: { creditsInvoice: { id: string } | null }) => i.creditsInvoice?.id === inv.id,
    );
    assert.ok(credit && note);
    assert.deepEqual([note.totals.taxes, note.totals.totalCents, note.seller.smallSupplier], [[], -10_000, true]);
    assert.match(await pdfText((await pdfOf(b, note.id)).bytes), /Petit fournisseur — aucune taxe perçue/);

    // Registering again: invoices charge tax, and need the numbers.
    await setOrganization(b, { smallSupplier: false });
    const t3 = await readyInvoice(b, 10_000, fr.id);
    const refused = await move(b, t3.id, 'closed');
    assert.equal(refused.status, 409);
    assert.deepEqual(refused.body.error.details.missing, ['address', 'gstNumber', 'qstNumber']);
  });

  it("prints the organization's phone and email in the PDF's seller block, frozen at issue; an invoice issued before they were kept still renders", async () => {
    const b = await billing(ctx);
    await setOrganization(b, { phone: '450 555-0142', email: 'factures@martin.example' });
    const t = await readyInvoice(b);
    assert.equal((await move(b, t.id, 'closed')).status, 200);
    const inv = await invoiceOf(b, t.id);
    assert.deepEqual([inv.seller.phone, inv.seller.email], ['450 555-0142', 'factures@martin.example']);
    const text = await pdfText((await pdfOf(b, inv.id)).bytes);
    assert.match(text, /Tél\. : 450 555-0142/);
    assert.match(text, /Courriel : factures@martin\.example/);

    // Changed later: the issued invoice keeps what it was issued with.
    await setOrganization(b, { phone: null, email: 'autre@martin.example' });
    const again = await pdfText((await pdfOf(b, inv.id)).bytes);
    assert.match(again, /Tél\. : 450 555-0142/);
    assert.doesNotMatch(again, /autre@martin/);

    // An invoice issued before the organization had them prints neither.
    const earlier = await billing(ctx);
    const t0 = await readyInvoice(earlier);
    assert.equal((await move(earlier, t0.id, 'closed')).status, 200);
    const inv0 = await invoiceOf(earlier, t0.id);
    await setOrganization(earlier, { phone: '450 555-0100', email: 'info@earlier.example' });
    assert.deepEqual([inv0.seller.phone, inv0.seller.email], [null, null]);
    const text0 = await pdfText((await pdfOf(earlier, inv0.id)).bytes);
    assert.match(text0, new RegExp(inv0.number));
    assert.doesNotMatch(text0, /Tél\.|Courriel/);
  });

  it('refuses tax numbers on a small supplier, and changes nothing', async () => {
    const b = await billing(ctx); // registered: GST and QST numbers
    const before = await organization(b);
    const r = await ctx.call('PATCH', '/api/v1/organization', b.org.token, { smallSupplier: true });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'small_supplier_registered');
    assert.deepEqual(r.body.error.details.registered, ['gstNumber', 'qstNumber']);
    assert.deepEqual(await organization(b), before);
    const cleared = await setOrganization(b, { smallSupplier: true, gstNumber: null, qstNumber: null });
    assert.deepEqual([cleared.smallSupplier, cleared.gstNumber, cleared.invoicing.ready], [true, null, true]);
    const again = await ctx.call('PATCH', '/api/v1/organization', b.org.token, { gstNumber: GST });
    assert.equal(again.body.error.code, 'small_supplier_registered');
  });
});
