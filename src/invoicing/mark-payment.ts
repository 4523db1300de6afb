import { requireRole, type Principal } from '../accounts/principal.ts';
import type { Deps } from '../deps.ts';
import { conflict, invalid, notFound } from '../shared/errors.ts';
import { lockInvoice, type InvoiceRow } from './store.ts';

/**
 * Records that an invoice was paid (when) or is unpaid again: the only change an issued invoice
 * accepts besides being credited. Credit notes have no payment status.
 */
export async function markPayment(deps: Deps, p: Principal, invoiceId: string, input: { status: 'paid' | 'unpaid'; paidAt?: string }): Promise<InvoiceRow> {
  requireRole(p, 'admin', 'dispatcher');
  const now = deps.clock.now();
  if (input.paidAt !== undefined && Date.parse(input.paidAt) > now.getTime() + 60_000) {
    throw invalid('paid_at_in_future', 'paidAt cannot be in the future', { field: 'paidAt' });
  }
  return deps.db.kysely.transaction().execute(async (trx) => {
    const invoice = await lockInvoice(trx, deps.db.dialect, p.orgId, invoiceId);
    if (!invoice) throw notFound('invoice', invoiceId);
    if (invoice.kind !== 'invoice') throw conflict('credit_note_has_no_payment', 'a credit note has no payment status', { invoiceId });
    const paidAt = input.status === 'paid' ? new Date(input.paidAt ?? now).toISOString() : null;
    const next = { payment_status: input.status, paid_at: paidAt, updated_at: now.toISOString() };
    await trx.updateTable('invoices').set(next).where('org_id', '=', p.orgId).where('id', '=', invoiceId).execute();
    return { ...invoice, ...next };
  });
}
