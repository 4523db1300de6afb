import { requireRole, type Principal } from '../accounts/principal.ts';
import { releaseToPending } from '../consolidation/release.ts';
import { sweepPendingInto } from '../consolidation/pending.ts';
import { lockOpenInvoice } from '../consolidation/targets.ts';
import type { Executor } from '../db/index.ts';
import { runTransaction } from '../db/transaction.ts';
import type { Deps } from '../deps.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { findTaskType, statusOf, type TaskType } from '../task-types/index.ts';
import { lockTask } from '../tasks/index.ts';
import { copyNegatedLines } from './issue/copy-content.ts';
import { localDate } from '../shared/calendar.ts';
import { insertIssued, takeInvoiceNumber } from './issue/issue-invoice.ts';
import { lockInvoice, totalsOf, type InvoiceRow } from './store.ts';
import { TotalsAccumulator } from '../billing-math/index.ts';

export interface CreditResult {
  creditNote: InvoiceRow;
  /** The billing task's status after the credit (cancelled, unless the invoice was paid). */
  taskStatus: string;
  /** How many consolidated sources went back to pending for the client. */
  released: number;
}

/**
 * Cancels an issued invoice with a full credit note: its own number from the same sequence,
 * every line and total negated, the invoice marked credited; its consolidated content goes back
 * to pending for the client — and into the client's open invoice task at once, if there is one —
 * and the billing task moves to its cancelled status (unless paid). One transaction: all of it, or none.
 */
export async function creditInvoice(deps: Deps, p: Principal, invoiceId: string): Promise<CreditResult> {
  requireRole(p, 'admin', 'dispatcher');
  return runTransaction(deps, async (trx) => {
    const invoice = await lockInvoice(trx, deps.db.dialect, p.orgId, invoiceId);
    if (!invoice) throw notFound('invoice', invoiceId);
    if (invoice.kind !== 'invoice') throw conflict('credit_note_not_creditable', 'a credit note cannot itself be credited', { invoiceId });
    if (invoice.credit_note_id) {
      throw conflict('invoice_already_credited', `invoice ${invoice.number} is already credited`, { invoiceId, creditNoteId: invoice.credit_note_id });
    }
    const creditNote = await issueCreditNote(trx, deps, p, invoice);
    const marked = await trx
      .updateTable('invoices')
      .set({ credit_note_id: creditNote.id, credited_at: creditNote.created_at, updated_at: creditNote.created_at })
      .where('org_id', '=', p.orgId)
      .where('id', '=', invoice.id)
      .where('credit_note_id', 'is', null)
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) !== 1) throw conflict('invoice_already_credited', `invoice ${invoice.number} is already credited`, { invoiceId });
    const { taskStatus, released } = await reopenContent(trx, deps, p, invoice);
    return { creditNote, taskStatus, released };
  });
}

async function issueCreditNote(trx: Executor, deps: Deps, p: Principal, invoice: InvoiceRow): Promise<InvoiceRow> {
  const org = await trx.selectFrom('organizations').select(['time_zone', 'invoice_number_pattern']).where('id', '=', p.orgId).executeTakeFirstOrThrow();
  const now = deps.clock.now();
  const issueDate = localDate(now, org.time_zone);
  const original = totalsOf(invoice);
  // Same region and tax date as the invoice: the taxes mirror it to the cent (rounding is symmetric).
  const totals = new TotalsAccumulator()
    .addSubtotals(-original.taxableSubtotalCents, -original.exemptSubtotalCents)
    .finish(invoice.tax_region, invoice.tax_date);
  const number = await takeInvoiceNumber(trx, p.orgId, org.invoice_number_pattern, issueDate);
  const row: InvoiceRow = {
    ...invoice,
    id: newId(),
    number,
    kind: 'credit_note',
    credits_invoice_id: invoice.id,
    credits_invoice_number: invoice.number,
    credit_note_id: null,
    credited_at: null,
    totals: JSON.stringify(totals),
    subtotal_cents: totals.subtotalCents,
    tax_cents: totals.taxCents,
    total_cents: totals.totalCents,
    issue_date: issueDate,
    due_date: null,
    payment_terms_days: null,
    payment_status: null,
    paid_at: null,
    created_by: p.userId,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  await insertIssued(number, () => trx.insertInto('invoices').values(row).execute());
  await copyNegatedLines(trx, p.orgId, invoice.id, row.id);
  return row;
}

/**
 * Content back to unbilled, then the billing task to its workflow's cancelled status (a system
 * move: the workflow offers no user transition out of an issued invoice's statuses; a paid
 * invoice's task keeps its status), then the released work into the client's open invoice task
 * if there is one — in this transaction, not a month later when the next one is created.
 */
async function reopenContent(trx: Executor, deps: Deps, p: Principal, invoice: InvoiceRow) {
  const task = await lockTask(trx, deps, p.orgId, invoice.task_id);
  if (!task) throw notFound('task', invoice.task_id);
  const released = await releaseToPending(trx, deps, task);
  const type = (await findTaskType(trx, p.orgId, task.type_id))!;
  let taskStatus = task.status;
  const cancelled = type.workflow.statuses.find((s) => s.category === 'cancelled');
  if (cancelled && invoice.payment_status !== 'paid' && statusOf(type.workflow, task.status)?.category !== 'cancelled') {
    // Re-read: releasing content bumped nothing on the task itself, but the version must be current.
    const current = (await lockTask(trx, deps, p.orgId, task.id))!;
    await deps.applyTransition(trx, deps, current, cancelled.key, p, 0, undefined, { system: true });
    taskStatus = cancelled.key;
  }
  if (released > 0 && task.client_id) await billReleasedWork(trx, deps, task.client_id, type, task.id);
  return { taskStatus, released };
}

/** The client's oldest open task of the credited invoice's type takes the work now pending. */
async function billReleasedWork(trx: Executor, deps: Deps, clientId: string, invoiceType: TaskType, creditedTaskId: string): Promise<void> {
  const open = await lockOpenInvoice(trx, deps, { orgId: invoiceType.orgId, clientId, invoiceType, exceptTaskId: creditedTaskId });
  if (open) await sweepPendingInto(trx, open, deps);
}
