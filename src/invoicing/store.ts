import type { Executor } from '../db/index.ts';
import { forUpdate } from '../db/lock.ts';
import type { Dialect, InvoicesTable } from '../db/schema.ts';
import type { Address } from '../http/schemas.ts';
import type { InvoiceTotals } from '../billing-math/index.ts';

export type InvoiceRow = InvoicesTable;

/** Frozen at issue: the seller as the organization was then. */
export interface SellerSnapshot {
  name: string;
  address: Address | null;
  gstNumber: string | null;
  qstNumber: string | null;
  /** The organization's phone and email at issue (absent on invoices issued before they existed). */
  phone?: string | null;
  email?: string | null;
  /** A small supplier charges no tax and its documents say so (absent on invoices issued before it existed: false). */
  smallSupplier?: boolean;
  /** The organization's IANA zone at issue: local dates of the document's instants. */
  timeZone: string;
}

/** Frozen at issue: the buyer as the client was then. */
export interface BuyerSnapshot {
  clientId: string;
  name: string;
  address: Address | null;
  emails: string[];
  taxRegion: string;
}

export interface TaskRef {
  id: string;
  number: string; // display number, e.g. FAC-1043
  title: string;
}

export const findInvoice = (db: Executor, orgId: string, id: string) =>
  db.selectFrom('invoices').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

/** The invoice row, locked until the end of the transaction (PostgreSQL; SQLite serializes writers). */
export const lockInvoice = (trx: Executor, dialect: Dialect, orgId: string, id: string) =>
  forUpdate(trx.selectFrom('invoices').selectAll().where('org_id', '=', orgId).where('id', '=', id), dialect).executeTakeFirst();

/** The task's live invoice: kind invoice, not credited (at most one, by a unique index). */
export const liveInvoiceOfTask = (db: Executor, orgId: string, taskId: string) =>
  db
    .selectFrom('invoices')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('task_id', '=', taskId)
    .where('kind', '=', 'invoice')
    .where('credit_note_id', 'is', null)
    .executeTakeFirst();

/** 'unpaid' | 'paid' | 'credited' for an invoice; null for a credit note. */
export function invoiceStatus(r: Pick<InvoiceRow, 'kind' | 'credit_note_id' | 'payment_status'>): 'unpaid' | 'paid' | 'credited' | null {
  if (r.kind !== 'invoice') return null;
  return r.credit_note_id ? 'credited' : (r.payment_status ?? 'unpaid');
}

export const totalsOf = (r: InvoiceRow) => JSON.parse(r.totals) as InvoiceTotals;
export const sellerOf = (r: InvoiceRow) => JSON.parse(r.seller) as SellerSnapshot;
export const buyerOf = (r: InvoiceRow) => JSON.parse(r.buyer) as BuyerSnapshot;
export const taskRefOf = (r: InvoiceRow) => JSON.parse(r.task_ref) as TaskRef;
