import type { Principal } from '../../accounts/principal.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { nextCounterValue, type Executor } from '../../db/index.ts';
import type { Deps } from '../../deps.ts';
import { afterCommit } from '../../shared/after-commit.ts';
import { conflict } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { findTaskType } from '../../task-types/index.ts';
import type { TaskRow } from '../../tasks/index.ts';
import { requireSellerDetails } from '../../organization/invoicing-readiness.ts';
import { formatInvoiceNumber, numberCounterName } from '../number-pattern.ts';
import { liveInvoiceOfTask, type InvoiceRow, type TaskRef } from '../store.ts';
import { TotalsAccumulator } from '../../billing-math/index.ts';
import { copyTaskAttachments, copyTaskLines } from './copy-content.ts';
import { lineSums } from '../../task-content/line-store.ts';
import { addDaysToDate, localDate } from '../../shared/calendar.ts';
import { partiesOf } from './snapshot.ts';

/**
 * Issues the invoice of a billing task: the next number, dated on `moment` (the transition
 * chain's moment: now, or a scheduled occurrence's time) in the organization's time zone, the
 * client's payment terms, and a frozen copy of the seller, the buyer, the lines (in the invoice
 * view's order, with provenance), the attachments and the totals. Returns the task's live
 * invoice unchanged when it already has one.
 * MUST run inside the closing transition's transaction, on the locked task.
 */
export async function issueInvoice(trx: Executor, deps: Deps, task: TaskRow, actor: Principal | null, moment: Date = deps.clock.now()): Promise<InvoiceRow> {
  const existing = await liveInvoiceOfTask(trx, task.org_id, task.id);
  if (existing) return existing;
  if (!task.client_id) {
    throw conflict('invoice_client_required', 'closing a billing task issues its invoice: give the task a client first', { taskId: task.id });
  }
  const sums = await lineSums(trx, task.org_id, task.id);
  if (sums.count === 0) throw conflict('invoice_empty', 'the billing task has no lines: there is nothing to invoice (cancel it instead)', { taskId: task.id });

  const parties = await partiesOf(trx, task.org_id, task.client_id);
  const type = (await findTaskType(trx, task.org_id, task.type_id))!;
  const now = deps.clock.now().toISOString();
  const issueDate = localDate(moment, parties.timeZone);
  // A small supplier charges no tax, whatever the client's region: its invoices are taxed as 'exempt'.
  const taxRegion = parties.sellerDetails.smallSupplier ? 'exempt' : parties.buyer.taxRegion;
  const totals = new TotalsAccumulator().addSubtotals(sums.taxable, sums.exempt).finish(taxRegion, issueDate);
  // A tax is charged when something is taxed at it; the invoice must then name the seller's registration.
  requireSellerDetails(
    parties.sellerDetails,
    totals.taxes.filter((t) => t.baseCents !== 0).map((t) => t.tax),
  );
  const number = await takeInvoiceNumber(trx, task.org_id, parties.pattern, issueDate);
  const taskRef: TaskRef = { id: task.id, number: `${type.prefix}-${task.number}`, title: task.title };
  const row: InvoiceRow = {
    id: newId(),
    org_id: task.org_id,
    number,
    kind: 'invoice',
    task_id: task.id,
    client_id: task.client_id,
    credits_invoice_id: null,
    credits_invoice_number: null,
    credit_note_id: null,
    credited_at: null,
    language: parties.language,
    currency: parties.currency,
    seller: JSON.stringify(parties.seller),
    buyer: JSON.stringify(parties.buyer),
    task_ref: JSON.stringify(taskRef),
    tax_region: taxRegion,
    tax_date: issueDate,
    totals: JSON.stringify(totals),
    subtotal_cents: totals.subtotalCents,
    tax_cents: totals.taxCents,
    total_cents: totals.totalCents,
    line_count: sums.count,
    issue_date: issueDate,
    due_date: addDaysToDate(issueDate, parties.paymentTermsDays),
    payment_terms_days: parties.paymentTermsDays,
    payment_status: 'unpaid',
    paid_at: null,
    created_by: actor?.userId ?? null,
    created_at: now,
    updated_at: now,
  };
  await insertIssued(number, () => trx.insertInto('invoices').values(row).execute());
  await copyTaskLines(trx, task.org_id, task.id, row.id);
  await copyTaskAttachments(trx, task.org_id, task.id, row.id);
  afterCommit(() =>
    deps.log.info(
      {
        event: 'invoice_issued',
        orgId: row.org_id,
        invoiceId: row.id,
        number: row.number,
        taskId: row.task_id,
        clientId: row.client_id,
        totalCents: row.total_cents,
        currency: row.currency,
        issueDate: row.issue_date,
      },
      `invoice ${row.number} issued`,
    ),
  );
  return row;
}

/**
 * The next invoice (or credit note) number of the organization. MUST run inside the issuing
 * transaction: the counter's row lock is held until commit, so numbers are gapless and unique,
 * and a rollback gives the number back.
 */
export async function takeInvoiceNumber(trx: Executor, orgId: string, pattern: string, issueDate: string): Promise<string> {
  const seq = await nextCounterValue(trx, orgId, numberCounterName(pattern, issueDate));
  return formatInvoiceNumber(pattern, issueDate, seq);
}

/** Runs an insert of an issued document; a number clash (after a pattern change) answers 409. */
export async function insertIssued<T>(number: string, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const e = conflict('invoice_number_taken', `invoice number ${number} is already used; change the numbering pattern`, { number });
    throw Object.assign(e, { cause: err });
  }
}
