import type { Executor } from '../db/index.ts';
import { liveInvoiceOfTask } from './store.ts';

/** What an email needs of a task's issued invoice ({invoice.*} variables, the PDF to attach). */
export interface InvoiceSummary {
  invoiceId: string;
  number: string;
  totalCents: number;
  currency: string;
  issueDate: string;
  dueDate: string | null;
  language: 'fr' | 'en';
}

/**
 * The live invoice issued for a task, or null. Reads through `trx`, so inside a transition it
 * sees the invoice issued moments before by the issuing hook of the same transition.
 */
export async function invoiceSummaryForTask(trx: Executor, orgId: string, taskId: string): Promise<InvoiceSummary | null> {
  const r = await liveInvoiceOfTask(trx, orgId, taskId);
  if (!r) return null;
  return {
    invoiceId: r.id,
    number: r.number,
    totalCents: Number(r.total_cents),
    currency: r.currency,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    language: r.language,
  };
}
