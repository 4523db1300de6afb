import type { Address } from '../http/schemas.ts';
import type { InvoiceTotals } from '../billing-math/index.ts';

/**
 * Everything an issued invoice (or credit note) document shows, in the client's language.
 * Built from the frozen issued invoice; the PDF renderer and the email templates read only this.
 * Lines and attachments are async iterables so a 10,000-line invoice streams with bounded memory.
 */
export interface InvoiceDocument {
  kind: 'invoice' | 'credit_note';
  /** A billing task's invoice before it is issued: no number, every page marked "APERÇU — non émise". */
  preview?: boolean;
  number: string;
  /** For a credit note: the number of the invoice it credits. */
  creditedInvoiceNumber: string | null;
  issueDate: string; // YYYY-MM-DD
  dueDate: string | null; // YYYY-MM-DD
  paymentTermsDays: number;
  language: 'fr' | 'en';
  /** The organization's IANA zone, for the local date of instants such as a sub-task's completedAt; default America/Toronto. */
  timeZone?: string;
  currency: string; // 'CAD'
  seller: {
    name: string;
    address: Address | null;
    gstNumber: string | null; // GST/HST registration number
    qstNumber: string | null;
    /** Contact details, when the organization had them at issue (absent on older invoices). */
    phone?: string | null;
    email?: string | null;
    /** Not registered: the document says no tax is charged. */
    smallSupplier?: boolean;
  };
  buyer: {
    name: string;
    address: Address | null;
    emails: string[];
  };
  /** The task the invoice came from (e.g. "FAC-1043 — Facture Réseau Boréal — mars 2026"). */
  task: { number: string; title: string };
  totals: InvoiceTotals;
  /** Lines in order: the task's own (group null) first, then grouped by source sub-task. */
  lines(): AsyncIterable<DocumentLine>;
  /** The appendix: attachments by source sub-task; `bytes` is read only for photo thumbnails. */
  attachments(): AsyncIterable<DocumentAttachment>;
}

export interface DocumentSource {
  taskId: string;
  number: string; // display number, e.g. T-1042
  title: string;
  completedAt: string | null; // ISO instant
  assignees: string[]; // names
}

export interface DocumentLine {
  group: DocumentSource | null;
  description: string;
  quantity: string; // exact decimal text
  unit: string | null;
  unitPriceCents: number;
  amountCents: number;
  taxTreatment: 'taxable' | 'exempt';
}

export interface DocumentAttachment {
  group: DocumentSource | null;
  name: string; // display name
  mediaType: string;
  size: number;
  bytes(): Promise<Buffer>;
}
