import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { notAllowed } from '../shared/errors.ts';
import { findTaskType, type TaskType } from '../task-types/index.ts';
import type { TaskRow, TransitionStep } from '../tasks/index.ts';
import type { Principal } from '../accounts/principal.ts';
import { liveInvoiceOfTask } from './store.ts';

/**
 * The status of a billing workflow that means "paid" (key `paid`, as in the default Invoice
 * workflow). The invoice's payment state drives it and it drives the payment state, in the same
 * transaction: they never disagree.
 */
export const PAID_STATUS = 'paid';

/**
 * Transition step: the task of an issued invoice leaves its done statuses only through a credit
 * note (which marks the invoice credited first), whatever the workflow's transitions say: a
 * status change alone would leave an issued, unpaid invoice for work that can never be reopened.
 */
export const guardIssuedInvoiceTask: TransitionStep = async (trx, event) => {
  if (event.fromCategory !== 'done' || event.toCategory === 'done') return;
  const invoice = await liveInvoiceOfTask(trx, event.task.org_id, event.task.id);
  if (!invoice) return;
  throw notAllowed(
    'invoice_issued_credit_note_required',
    `invoice ${invoice.number} was issued for this task: only a credit note can cancel or reopen it (POST /api/v1/invoices/${invoice.id}/credit-note)`,
    { taskId: event.task.id, invoiceId: invoice.id, invoiceNumber: invoice.number, from: event.from, to: event.to },
  );
};

/**
 * Transition step: entering the paid status marks the task's invoice paid (at the chain's
 * moment); leaving it marks the invoice unpaid. A billing task without an issued invoice cannot
 * be paid.
 */
export const syncPaymentWithStatus: TransitionStep = async (trx, event) => {
  const entering = event.to === PAID_STATUS;
  const leaving = event.from === PAID_STATUS && !entering;
  if (!entering && !leaving) return;
  const type = await findTaskType(trx, event.task.org_id, event.task.type_id);
  if (!type?.billing) return;
  const invoice = await liveInvoiceOfTask(trx, event.task.org_id, event.task.id);
  if (!invoice) {
    if (!entering) return;
    throw notAllowed('invoice_not_issued', 'this task has no issued invoice to mark paid', { taskId: event.task.id, to: event.to });
  }
  const paid = entering ? 'paid' : 'unpaid';
  if (invoice.payment_status === paid) return; // the payment itself moved the task
  await trx
    .updateTable('invoices')
    .set({ payment_status: paid, paid_at: entering ? event.moment : null, updated_at: event.moment })
    .where('org_id', '=', invoice.org_id)
    .where('id', '=', invoice.id)
    .execute();
};

/**
 * Moves a live invoice's billing task to match its new payment state: paid → the paid status;
 * unpaid → the status it was paid from. MUST run in the payment's transaction, on the locked task.
 */
export async function moveTaskToPayment(trx: Executor, deps: Deps, p: Principal, task: TaskRow, payment: 'paid' | 'unpaid'): Promise<void> {
  const type = await findTaskType(trx, task.org_id, task.type_id);
  if (!type?.workflow.statuses.some((s) => s.key === PAID_STATUS)) return;
  if (payment === 'paid') {
    if (task.status === PAID_STATUS) return;
    await deps.applyTransition(trx, deps, task, PAID_STATUS, p, 0, undefined, { system: true });
    return;
  }
  if (task.status !== PAID_STATUS) return;
  const back = await statusBeforePaid(trx, type, task);
  if (!back) throw notAllowed('no_unpaid_status', `the ${type.label.en} workflow has no done status besides "paid" to go back to`, { taskId: task.id });
  await deps.applyTransition(trx, deps, task, back, p, 0, undefined, { system: true });
}

/** The status the task was in when it entered paid; else the workflow's first other done status. */
async function statusBeforePaid(trx: Executor, type: TaskType, task: TaskRow): Promise<string | undefined> {
  const last = await trx
    .selectFrom('task_history')
    .select('from_status')
    .where('org_id', '=', task.org_id)
    .where('task_id', '=', task.id)
    .where('to_status', '=', PAID_STATUS)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const from = last?.from_status;
  const done = type.workflow.statuses.filter((s) => s.category === 'done' && s.key !== PAID_STATUS);
  return done.find((s) => s.key === from)?.key ?? done[0]?.key;
}
