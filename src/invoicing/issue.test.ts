import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, type TestContext } from '../testing/harness.ts';
import {
  billing,
  billingContext,
  client,
  close,
  invoiceOf,
  invoiceTask,
  line,
  move,
  ok,
  readyInvoice,
  workTask,
  allInvoiceLines,
  type Billing,
} from './testkit.ts';

describeEachStore('issuing an invoice when a billing task is closed', (store) => {
  let ctx: TestContext;
  let b: Billing;
  before(async () => {
    ({ ctx } = await billingContext(store));
    b = await billing(ctx);
  });
  after(() => ctx.close());

  it('issues F-2026-00001 with the Quebec taxes: 100.00 → GST 5.00, QST 9.98, total 114.98', async () => {
    const c = await client(b, { name: 'Famille Tremblay', billingEmails: ['tremblay@example.com'] });
    const t = await readyInvoice(b, 10_000, c.id);
    const inv = await close(b, t.id);
    assert.equal(inv.number, 'F-2026-00001');
    assert.equal(inv.kind, 'invoice');
    assert.equal(inv.status, 'unpaid');
    assert.equal(inv.issueDate, '2026-03-15');
    assert.equal(inv.taxDate, '2026-03-15');
    assert.equal(inv.dueDate, '2026-04-14'); // the organization's default 30 days
    assert.equal(inv.task.id, t.id);
    assert.equal(inv.task.number, t.displayNumber);
    assert.deepEqual(inv.buyer, { clientId: c.id, name: 'Famille Tremblay', address: null, emails: ['tremblay@example.com'], taxRegion: 'QC' });
    assert.deepEqual(inv.totals, {
      subtotalCents: 10_000,
      taxableSubtotalCents: 10_000,
      exemptSubtotalCents: 0,
      taxes: [
        { tax: 'GST', region: 'QC', ratePercent: '5', baseCents: 10_000, amountCents: 500 },
        { tax: 'QST', region: 'QC', ratePercent: '9.975', baseCents: 10_000, amountCents: 998 },
      ],
      taxCents: 1_498,
      totalCents: 11_498,
    });
    const detail = await ok(b, 'GET', `/api/v1/invoices/${inv.id}`);
    assert.equal(detail.lineCount, 1);
    assert.deepEqual(
      detail.lines.items.map((l: { position: number; description: string; amountCents: number; group: unknown }) => [
        l.position,
        l.description,
        l.amountCents,
        l.group,
      ]),
      [[1, 'Main-d’œuvre', 10_000, null]],
    );
  });

  it("dates the due date with the client's own payment terms", async () => {
    const c = await client(b, { paymentTermsDays: 10 });
    const inv = await close(b, (await readyInvoice(b, 5_000, c.id)).id);
    assert.equal(inv.dueDate, '2026-03-25');
    assert.equal(inv.paymentTermsDays, 10);
  });

  it("freezes consolidated lines in the invoice view's order, grouped by source task with provenance", async () => {
    await ok(b, 'POST', `/api/v1/automations/${b.progressiveRuleId}/enable`);
    try {
      const c = await client(b, { name: 'Réseau Boréal', taxRegion: 'ON' });
      const inv = await invoiceTask(b, c.id, 'Facture Réseau Boréal — mars 2026');
      const tech = await b.ctx.addUser(b.org, 'technician', { name: 'Samuel Roy' });
      const cedar = await workTask(b, { title: 'Fibre — Cedar', clientId: c.id, assigneeIds: [tech.userId] });
      const larch = await workTask(b, { title: 'Fibre — Larch', clientId: c.id });
      await line(b, cedar.id, 'Fusion splice', '24', 1800);
      await line(b, cedar.id, 'Fibre technician', '7.5', 9200);
      await line(b, larch.id, 'OTDR test report', '1', 15000, 'exempt');
      await line(b, inv.id, 'Frais de déplacement', '1', 5000);
      for (const t of [cedar, larch]) assert.equal((await move(b, t.id, 'completed')).status, 200);
      const view = await ok(b, 'GET', `/api/v1/tasks/${inv.id}/invoice?limit=1000`);

      const issued = await close(b, inv.id);
      const lines = await allInvoiceLines(b, issued.id);
      const viewLines = view.groups.flatMap((g: { source: { taskId: string } | null; lines: { description: string; amountCents: number }[] }) =>
        g.lines.map((l) => [g.source?.taskId ?? null, l.description, l.amountCents]),
      );
      assert.deepEqual(
        lines.map((l: { group: { taskId: string } | null; description: string; amountCents: number }) => [
          l.group?.taskId ?? null,
          l.description,
          l.amountCents,
        ]),
        viewLines,
      );
      assert.deepEqual(
        lines.map((l: { position: number }) => l.position),
        [1, 2, 3, 4],
      );
      const cedarLine = lines.find((l: { description: string }) => l.description === 'Fusion splice');
      assert.equal(cedarLine.group.number, cedar.displayNumber);
      assert.equal(cedarLine.group.title, 'Fibre — Cedar');
      assert.deepEqual(cedarLine.group.assignees, [{ id: tech.userId, name: 'Samuel Roy' }]);
      assert.ok(cedarLine.group.completedAt);
      assert.deepEqual(issued.totals, view.totals); // same date, same region: the view's totals, frozen (HST 13%)
      assert.equal(issued.totals.taxes[0].tax, 'HST');
    } finally {
      await ok(b, 'POST', `/api/v1/automations/${b.progressiveRuleId}/disable`);
    }
  });

  it('refuses to close a billing task without a client (409 invoice_client_required) or without lines, and issues nothing', async () => {
    const noClient = await invoiceTask(b, null);
    await line(b, noClient.id, 'Travail', '1', 1000);
    const r = await move(b, noClient.id, 'closed');
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'invoice_client_required');
    assert.equal((await ok(b, 'GET', `/api/v1/tasks/${noClient.id}`)).status, 'open');

    const empty = await invoiceTask(b, (await client(b)).id);
    const e = await move(b, empty.id, 'closed');
    assert.equal(e.status, 409);
    assert.equal(e.body.error.code, 'invoice_empty');
    assert.equal((await ok(b, 'GET', `/api/v1/invoices?taskId=${empty.id}`)).items.length, 0);
    assert.equal((await move(b, empty.id, 'cancelled')).status, 200, 'an empty billing task can still be cancelled');
  });

  it('issues once: sending and paying the closed task issue nothing more, and work tasks issue nothing', async () => {
    const t = await readyInvoice(b);
    const first = await close(b, t.id);
    assert.equal((await move(b, t.id, 'sent')).status, 200);
    assert.equal((await move(b, t.id, 'paid')).status, 200);
    const all = await ok(b, 'GET', `/api/v1/invoices?taskId=${t.id}`);
    assert.deepEqual(
      all.items.map((i: { id: string }) => i.id),
      [first.id],
    );

    const work = await workTask(b, { title: 'Excavation', clientId: (await client(b)).id });
    await line(b, work.id, 'Pelle', '1', 100);
    assert.equal((await move(b, work.id, 'completed')).status, 200);
    assert.equal(await invoiceOf(b, work.id), undefined);
  });

  it('issues a 10,000-line task in one transaction, every line in order', async () => {
    const t = await readyInvoice(b, 1);
    const rows = Array.from({ length: 9_999 }, (_, i) => i);
    const now = new Date().toISOString();
    const { newId } = await import('../shared/ids.ts');
    for (let i = 0; i < rows.length; i += 500) {
      await ctx.deps.db.kysely
        .insertInto('task_lines')
        .values(
          rows.slice(i, i + 500).map((n) => ({
            id: newId(),
            org_id: b.org.orgId,
            task_id: t.id,
            position: n + 2,
            description: `Ligne ${n + 2}`,
            quantity_milli: 1000,
            unit: null,
            unit_price_cents: 100,
            amount_cents: 100,
            tax_treatment: 'taxable' as const,
            product_code: null,
            created_by: null,
            created_at: now,
            updated_at: now,
            version: 1,
          })),
        )
        .execute();
    }
    const inv = await close(b, t.id);
    assert.equal(inv.lineCount, 10_000);
    assert.equal(inv.totals.subtotalCents, 1 + 9_999 * 100);
    const page = await ok(b, 'GET', `/api/v1/invoices/${inv.id}/lines?limit=3&cursor=${Buffer.from(JSON.stringify({ pos: 9_997 })).toString('base64url')}`);
    assert.deepEqual(
      page.items.map((l: { position: number; description: string }) => [l.position, l.description]),
      [
        [9_998, 'Ligne 9998'],
        [9_999, 'Ligne 9999'],
        [10_000, 'Ligne 10000'],
      ],
    );
    assert.equal(page.nextCursor, null);
  });
});
