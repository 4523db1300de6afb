import type { Executor } from '../db/index.ts';

/** What an email needs of a task's issued invoice: its {invoice.*} variables and the PDF to attach. */
export interface InvoiceSummary {
  /** Passed back to the `invoice_pdf` attachment resolver at delivery time. */
  invoiceId: string;
  number: string;
  totalCents: number;
  currency: string;
}

/**
 * The invoice issued for a task, or null when it has none. Provided by the invoicing module
 * (`deps.invoiceSummaryFor`); it runs inside the transition's transaction, so it sees an
 * invoice issued by an earlier action of the same transition.
 */
export type InvoiceSummaryLookup = (trx: Executor, orgId: string, taskId: string) => Promise<InvoiceSummary | null>;
