import { requireRole, type Principal } from '../accounts/principal.ts';
import { runTransaction } from '../db/transaction.ts';
import type { Deps } from '../deps.ts';
import { conflict, invalid, notFound } from '../shared/errors.ts';
import { lockTask } from '../tasks/index.ts';
import { findInvoice, lockInvoice, type InvoiceRow } from './store.ts';
import { moveTaskToPayment } from './task-status.ts';

/**
 * Records that an invoice was paid (when) or is unpaid again: the only change an issued invoice
 * accepts besides being credited. Credit notes have no payment status. The billing task of a
 * live invoice follows in the same transaction: paid → its "paid" status, unpaid → back to the
 * status it was paid from (see task-status.ts).
 */
export async function markPayment(deps: Deps, p: Principal, invoiceId: string, input: { status: 'paid' | 'unpaid'; paidAt?: string }): Promise<InvoiceRow> {
  requireRole(p, 'admin', 'dispatcher');
  const now = deps.clock.now();
  if (input.paidAt !== undefined && Date.parse(input.paidAt) > now.getTime() + 60_000) {
    throw invalid('paid_at_in_future', 'paidAt cannot be in the future', { field: 'paidAt' });
  }
  return runTransaction(deps, async (trx) => {
    // The task before the invoice, in the order a transition takes them (it locks the task, then
    // its hooks write the invoice): the other order deadlocks with a concurrent transition.
    const peek = await findInvoice(trx, p.orgId, invoiceId);
    if (!peek) throw notFound('invoice', invoiceId);
    const task = await lockTask(trx, deps, p.orgId, peek.task_id);
    const invoice = await lockInvoice(trx, deps.db.dialect, p.orgId, invoiceId);
    if (!invoice || !task) throw notFound('invoice', invoiceId);
    if (invoice.kind !== 'invoice') throw conflict('credit_note_has_no_payment', 'a credit note has no payment status', { invoiceId });
    const paidAt = input.status === 'paid' ? new Date(input.paidAt ?? now).toISOString() : null;
    const next = { payment_status: input.status, paid_at: paidAt, updated_at: now.toISOString() };
    await trx.updateTable('invoices').set(next).where('org_id', '=', p.orgId).where('id', '=', invoiceId).execute();
    if (!invoice.credit_note_id) await moveTaskToPayment(trx, deps, p, task, input.status);
    return { ...invoice, ...next };
  });
}
