import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Clock } from '../shared/clock.ts';
import { describeEachStore, type TestContext } from '../testing/harness.ts';
import { billing, billingContext, close, invoiceOf, move, ok, readyInvoice, type Billing } from './testkit.ts';

describeEachStore("an issued invoice's task status", (store) => {
  let ctx: TestContext;
  let clock: Clock;
  let b: Billing;
  before(async () => {
    ({ ctx, clock } = await billingContext(store));
    b = await billing(ctx);
  });
  after(() => ctx.close());

  const status = async (taskId: string) => (await ok(b, 'GET', `/api/v1/tasks/${taskId}`)).status;
  const invoice = (id: string) => ok(b, 'GET', `/api/v1/invoices/${id}`);
  const pay = (id: string, body: unknown) => ok(b, 'POST', `/api/v1/invoices/${id}/payment`, body);

  it('offers no transition from closed or sent to cancelled in the default Invoice workflow', async () => {
    const type = await ok(b, 'GET', `/api/v1/task-types/${b.invoiceTypeId}`);
    const toCancelled = type.workflow.transitions.filter((t: { to: string }) => t.to === 'cancelled').map((t: { from: string }) => t.from);
    assert.deepEqual(toCancelled, ['open']);
  });

  it('refuses to cancel or reopen the task of an issued invoice by a status change, whatever the workflow allows; a credit note cancels it', async () => {
    const o = await billing(ctx); // its own organization: its Invoice workflow is edited below
    const type = await ok(o, 'GET', `/api/v1/task-types/${o.invoiceTypeId}`);
    const extra = [
      { from: 'closed', to: 'cancelled' },
      { from: 'sent', to: 'cancelled' },
      { from: 'closed', to: 'open' },
    ];
    await ok(o, 'PATCH', `/api/v1/task-types/${o.invoiceTypeId}`, { workflow: { ...type.workflow, transitions: [...type.workflow.transitions, ...extra] } });
    const t = await readyInvoice(o);
    const inv = await close(o, t.id);
    for (const [from, to] of [
      ['closed', 'cancelled'],
      ['closed', 'open'],
      ['sent', 'cancelled'],
    ]) {
      if (from === 'sent') assert.equal((await move(o, t.id, 'sent')).status, 200);
      const r = await move(o, t.id, to);
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'invoice_issued_credit_note_required');
      assert.equal(r.body.error.details.invoiceId, inv.id);
    }
    assert.equal((await ok(o, 'GET', `/api/v1/tasks/${t.id}`)).status, 'sent');
    assert.equal((await ok(o, 'GET', `/api/v1/invoices/${inv.id}`)).status, 'unpaid', 'the invoice is untouched');

    const cn = await ok(o, 'POST', `/api/v1/invoices/${inv.id}/credit-note`);
    assert.equal(cn.taskStatus, 'cancelled');
    assert.equal((await ok(o, 'GET', `/api/v1/tasks/${t.id}`)).status, 'cancelled');
  });

  it('moves the task to paid when the payment is marked, and back to where it was when unmarked', async () => {
    const t = await readyInvoice(b);
    const inv = await close(b, t.id);
    assert.equal((await move(b, t.id, 'sent')).status, 200);
    const paid = await pay(inv.id, { status: 'paid', paidAt: '2026-03-14T12:00:00.000Z' });
    assert.equal(paid.status, 'paid');
    assert.equal(await status(t.id), 'paid');
    const history = (await ok(b, 'GET', `/api/v1/tasks/${t.id}/history`)).items.map((h: { from: string; to: string }) => `${h.from}→${h.to}`);
    assert.equal(history.at(-1), 'sent→paid');
    assert.equal((await invoice(inv.id)).paidAt, '2026-03-14T12:00:00.000Z', 'the date given is kept');

    await pay(inv.id, { status: 'unpaid' });
    assert.equal(await status(t.id), 'sent');
    assert.equal((await invoice(inv.id)).status, 'unpaid');
  });

  it('marks the invoice paid when its task enters paid, and unpaid when the payment is undone', async () => {
    const t = await readyInvoice(b);
    const inv = await close(b, t.id);
    assert.equal((await invoice(inv.id)).status, 'unpaid');
    assert.equal((await move(b, t.id, 'paid')).status, 200);
    const paid = await invoice(inv.id);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.paidAt, clock.now().toISOString());
    await pay(inv.id, { status: 'unpaid' });
    assert.equal(await status(t.id), 'closed');
  });

  it('issues and marks paid at once a task going straight from open to paid; a credited paid invoice keeps its task paid', async () => {
    const o = await billing(ctx);
    const type = await ok(o, 'GET', `/api/v1/task-types/${o.invoiceTypeId}`);
    await ok(o, 'PATCH', `/api/v1/task-types/${o.invoiceTypeId}`, {
      workflow: { ...type.workflow, transitions: [...type.workflow.transitions, { from: 'open', to: 'paid' }] },
    });
    const straight = await readyInvoice(o);
    assert.equal((await move(o, straight.id, 'paid')).status, 200);
    assert.equal((await invoiceOf(o, straight.id)).status, 'paid');

    const open = await readyInvoice(o);
    const inv = await close(o, open.id);
    await ok(o, 'POST', `/api/v1/invoices/${inv.id}/payment`, { status: 'paid' });
    const cn = await ok(o, 'POST', `/api/v1/invoices/${inv.id}/credit-note`);
    assert.equal(cn.taskStatus, 'paid');
  });
});
