import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, type TestContext } from '../testing/harness.ts';
import {
  allInvoiceLines,
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
  type Billing,
} from './testkit.ts';

const credit = (b: Billing, invoiceId: string, token = b.org.token, headers: Record<string, string> = {}) =>
  b.ctx.call('POST', `/api/v1/invoices/${invoiceId}/credit-note`, token, undefined, headers);

describeEachStore('credit notes', (store) => {
  let ctx: TestContext;
  let b: Billing;
  before(async () => {
    ({ ctx } = await billingContext(store));
    b = await billing(ctx);
  });
  after(() => ctx.close());

  it('mirror the invoice with negative lines and totals, the next number, and mark it credited once', async () => {
    const t = await invoiceTask(b, (await client(b)).id);
    await line(b, t.id, 'Excavatrice', '6.5', 14500);
    await line(b, t.id, 'Permis', '1', 2500, 'exempt');
    const inv = await close(b, t.id);
    const r = await credit(b, inv.id);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const cn = r.body;
    assert.equal(cn.kind, 'credit_note');
    assert.equal(cn.number, 'F-2026-00002');
    assert.deepEqual(cn.creditsInvoice, { id: inv.id, number: inv.number });
    assert.equal(cn.status, null);
    assert.equal(cn.dueDate, null);
    assert.equal(cn.taskStatus, 'cancelled');
    assert.equal(cn.totals.totalCents, -inv.totals.totalCents);
    assert.deepEqual(
      cn.totals.taxes.map((x: { amountCents: number }) => x.amountCents),
      inv.totals.taxes.map((x: { amountCents: number }) => -x.amountCents),
    );
    const lines = await allInvoiceLines(b, cn.id);
    assert.deepEqual(
      lines.map((l: { description: string; quantity: string; unitPriceCents: number; amountCents: number }) => [
        l.description,
        l.quantity,
        l.unitPriceCents,
        l.amountCents,
      ]),
      [
        ['Excavatrice', '-6.5', 14500, -94250],
        ['Permis', '-1', 2500, -2500],
      ],
    );

    const credited = await ok(b, 'GET', `/api/v1/invoices/${inv.id}`);
    assert.equal(credited.status, 'credited');
    assert.equal(credited.credited.creditNoteId, cn.id);
    assert.deepEqual(credited.totals, inv.totals, 'the credited invoice itself is unchanged');
    const again = await credit(b, inv.id);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'invoice_already_credited');
    const ofNote = await credit(b, cn.id);
    assert.equal(ofNote.status, 409);
    assert.equal(ofNote.body.error.code, 'credit_note_not_creditable');
    assert.equal((await ok(b, 'GET', `/api/v1/tasks/${t.id}`)).status, 'cancelled');
  });

  it('return the consolidated content to unbilled, and the next invoice task for the client bills it again', async () => {
    await ok(b, 'POST', `/api/v1/automations/${b.progressiveRuleId}/enable`);
    try {
      const c = await client(b, { name: 'Réseau Boréal' });
      const march = await invoiceTask(b, c.id, 'Facture mars');
      await line(b, march.id, 'Frais fixes', '1', 1000);
      const work = [];
      for (const title of ['Fibre — Cedar', 'Fibre — Larch']) {
        const w = await workTask(b, { title, clientId: c.id });
        await line(b, w.id, `Installation ${title}`, '1', 10_000);
        assert.equal((await move(b, w.id, 'completed')).status, 200);
        work.push(w);
      }
      assert.equal((await ok(b, 'GET', `/api/v1/tasks/${work[0].id}`)).parentId, march.id, 'progressive billing adopted the work');
      const inv = await close(b, march.id);
      assert.equal(inv.totals.subtotalCents, 21_000);

      const r = await credit(b, inv.id);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.released, 2);
      const unbilled = await ok(b, 'GET', `/api/v1/clients/${c.id}/unbilled`);
      assert.deepEqual(unbilled.items.map((i: { task: { id: string } }) => i.task.id).sort(), work.map((w) => w.id).sort());
      assert.equal(unbilled.subtotalCents, 20_000);
      const left = await ok(b, 'GET', `/api/v1/tasks/${march.id}/lines`);
      assert.deepEqual(
        left.items.map((l: { description: string }) => l.description),
        ['Frais fixes'],
        'only its own line stays on the cancelled task',
      );
      assert.equal((await ok(b, 'GET', `/api/v1/tasks/${work[0].id}`)).parentId, null);

      const redo = await invoiceTask(b, c.id, 'Facture mars (corrigée)');
      assert.equal((await ok(b, 'GET', `/api/v1/clients/${c.id}/unbilled`)).items.length, 0);
      const next = await close(b, redo.id);
      assert.equal(next.totals.subtotalCents, 20_000);
      const lines = await allInvoiceLines(b, next.id);
      assert.deepEqual(lines.map((l: { group: { taskId: string } }) => l.group.taskId).sort(), work.map((w) => w.id).sort());
      assert.equal(next.number.slice(0, 7), 'F-2026-');
      assert.equal(Number(next.number.slice(7)), Number(r.body.number.slice(7)) + 1, 'no gap after the credit note');
    } finally {
      await ok(b, 'POST', `/api/v1/automations/${b.progressiveRuleId}/disable`);
    }
  });

  it('replay the same credit note for a repeated Idempotency-Key', async () => {
    const inv = await close(b, (await readyInvoice(b)).id);
    const first = await credit(b, inv.id, b.org.token, { 'idempotency-key': `credit-${inv.id}` });
    const second = await credit(b, inv.id, b.org.token, { 'idempotency-key': `credit-${inv.id}` });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(second.body.id, first.body.id);
    const notes = await ok(b, 'GET', `/api/v1/invoices?kind=credit_note&taskId=${inv.task.id}`);
    assert.equal(notes.items.length, 1);
  });

  it('are for admins and dispatchers; a technician gets 403 and another organization 404', async () => {
    const inv = await close(b, (await readyInvoice(b)).id);
    const tech = await ctx.addUser(b.org, 'technician');
    assert.equal((await credit(b, inv.id, tech.token)).status, 403);
    const stranger = await billing(ctx);
    const r = await credit(b, inv.id, stranger.org.token);
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'invoice_not_found');
    const dispatcher = await ctx.addUser(b.org, 'dispatcher');
    assert.equal((await credit(b, inv.id, dispatcher.token)).status, 201);
    assert.equal(await invoiceOf(b, inv.task.id), undefined);
  });

  it('keep the task status when its workflow has no way to cancel it', async () => {
    const inv = await close(b, (await readyInvoice(b)).id);
    assert.equal((await move(b, inv.task.id, 'paid')).status, 200);
    const r = await credit(b, inv.id);
    assert.equal(r.status, 201);
    assert.equal(r.body.taskStatus, 'paid');
    assert.equal((await ok(b, 'GET', `/api/v1/invoices/${inv.id}`)).status, 'credited');
  });
});
