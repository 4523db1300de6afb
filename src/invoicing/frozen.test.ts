import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, type TestContext } from '../testing/harness.ts';
import {
  allInvoiceLines,
  billing,
  billingContext,
  client,
  close,
  invoiceTask,
  line,
  move,
  ok,
  pdfOf,
  pdfText,
  readyInvoice,
  workTask,
  type Billing,
} from './testkit.ts';

describeEachStore('an issued invoice is frozen', (store) => {
  let ctx: TestContext;
  let b: Billing;
  before(async () => {
    ({ ctx } = await billingContext(store));
    b = await billing(ctx);
    await ok(b, 'PATCH', '/api/v1/organization', { address: { line1: '1 rue Principale', city: 'Québec', region: 'QC' }, gstNumber: '123456789RT0001' });
  });
  after(() => ctx.close());

  /** Everything the invoice shows: its JSON (all lines included) and its PDF's text. */
  const snapshot = async (invoiceId: string) => {
    const { updatedAt: _u, status: _s, credited: _c, ...header } = await ok(b, 'GET', `/api/v1/invoices/${invoiceId}`);
    return { header, lines: await allInvoiceLines(b, invoiceId), pdf: await pdfText((await pdfOf(b, invoiceId)).bytes) };
  };

  it('keeps its buyer, seller, lines, totals and PDF when the client, the organization, the sub-task and the task change later', async () => {
    await ok(b, 'POST', `/api/v1/automations/${b.progressiveRuleId}/enable`);
    const c = await client(b, { name: 'Famille Tremblay', billingAddress: { line1: '5 rue des Érables', city: 'Lévis', region: 'QC' } });
    const main = await invoiceTask(b, c.id, 'Facture Tremblay');
    const sub = await workTask(b, { title: 'Excavation', clientId: c.id });
    const subLine = await line(b, sub.id, 'Excavatrice', '6.5', 14500);
    assert.equal((await move(b, sub.id, 'completed')).status, 200);
    await line(b, main.id, 'Déplacement', '1', 5000);
    const inv = await close(b, main.id);
    const before = await snapshot(inv.id);
    assert.ok(before.pdf.includes('Famille Tremblay') && before.pdf.includes('Excavatrice') && before.pdf.includes('1 rue Principale'), before.pdf);

    await ok(b, 'PATCH', `/api/v1/clients/${c.id}`, { name: 'Tremblay & Fils', taxRegion: 'ON', billingAddress: null, paymentTermsDays: 5 });
    await ok(b, 'PATCH', '/api/v1/organization', {
      name: 'Autre nom',
      address: { line1: '99 autre rue', city: 'Gatineau' },
      invoiceNumberPattern: 'X-{seq}',
      timeZone: 'America/Vancouver',
    });
    // The allowed way to change billed work: credit the invoice, reopen the sub-task, edit it.
    await ok(b, 'POST', `/api/v1/invoices/${inv.id}/credit-note`);
    assert.equal((await move(b, sub.id, 'in_progress')).status, 200);
    await ok(b, 'PATCH', `/api/v1/tasks/${sub.id}/lines/${subLine.id}`, { description: 'Pelle mécanique', quantity: '9' });
    await ok(b, 'PATCH', `/api/v1/tasks/${sub.id}`, { title: 'Excavation (reprise)' });
    // And behind the API's back: the billing task's own rows rewritten in the database.
    await ctx.deps.db.kysely.updateTable('task_lines').set({ description: 'Changé', amount_cents: 1 }).where('task_id', '=', main.id).execute();
    await ctx.deps.db.kysely.updateTable('tasks').set({ title: 'Titre changé' }).where('id', '=', main.id).execute();

    const later = await snapshot(inv.id);
    assert.deepEqual(later, before);
    assert.ok(!later.pdf.includes('Pelle mécanique') && !later.pdf.includes('Tremblay & Fils') && !later.pdf.includes('Gatineau'));
    await ok(b, 'POST', `/api/v1/automations/${b.progressiveRuleId}/disable`);
  });

  it('refuses, in the database itself, to change or delete an issued line or invoice', async () => {
    const inv = await close(b, (await readyInvoice(b)).id);
    const db = ctx.deps.db.kysely;
    const attempts = [
      () => db.updateTable('invoice_lines').set({ amount_cents: 1 }).where('invoice_id', '=', inv.id).execute(),
      () => db.deleteFrom('invoice_lines').where('invoice_id', '=', inv.id).execute(),
      () => db.updateTable('invoices').set({ total_cents: 1 }).where('id', '=', inv.id).execute(),
      () => db.updateTable('invoices').set({ number: 'F-0' }).where('id', '=', inv.id).execute(),
      () => db.deleteFrom('invoices').where('id', '=', inv.id).execute(),
    ];
    for (const attempt of attempts) await assert.rejects(attempt, /issued invoices are frozen/);
    // The payment marks are the one thing that may change.
    await db.updateTable('invoices').set({ payment_status: 'paid', paid_at: '2026-03-15T15:00:00.000Z' }).where('id', '=', inv.id).execute();
    const after = await ok(b, 'GET', `/api/v1/invoices/${inv.id}`);
    assert.equal(after.status, 'paid');
    assert.deepEqual(after.totals, inv.totals);
  });
});
