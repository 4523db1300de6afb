import { formatQuantity } from '../shared/money.ts';
import type { InvoiceLinesTable } from '../db/schema.ts';
import type { InvoiceDto, InvoiceLineDto } from './schemas.ts';
import { buyerOf, invoiceStatus, sellerOf, taskRefOf, totalsOf, type InvoiceRow } from './store.ts';

export function toInvoiceDto(r: InvoiceRow): InvoiceDto {
  const { timeZone: _tz, ...seller } = sellerOf(r);
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    status: invoiceStatus(r),
    paymentStatus: r.payment_status,
    paidAt: r.paid_at,
    credited: r.credit_note_id ? { creditNoteId: r.credit_note_id, at: r.credited_at ?? r.updated_at } : null,
    creditsInvoice: r.credits_invoice_id ? { id: r.credits_invoice_id, number: r.credits_invoice_number ?? '' } : null,
    task: taskRefOf(r),
    clientId: r.client_id,
    language: r.language,
    currency: r.currency,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    paymentTermsDays: r.payment_terms_days === null ? null : Number(r.payment_terms_days),
    seller: { ...seller, phone: seller.phone ?? null, email: seller.email ?? null, smallSupplier: seller.smallSupplier ?? false },
    buyer: buyerOf(r),
    taxRegion: r.tax_region,
    taxDate: r.tax_date,
    totals: totalsOf(r),
    lineCount: Number(r.line_count),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Exact decimal text of signed thousandths: -6500 → "-6.5". */
export const signedQuantity = (milli: number) => (milli < 0 ? `-${formatQuantity(-milli)}` : formatQuantity(milli));

export function toInvoiceLineDto(r: InvoiceLinesTable): InvoiceLineDto {
  return {
    position: Number(r.position),
    group: r.group_task_id
      ? {
          taskId: r.group_task_id,
          number: r.group_number ?? '',
          title: r.group_title ?? '',
          completedAt: r.group_completed_at,
          assignees: r.group_assignees ? JSON.parse(r.group_assignees) : [],
        }
      : null,
    description: r.description,
    quantity: signedQuantity(Number(r.quantity_milli)),
    unit: r.unit,
    unitPriceCents: Number(r.unit_price_cents),
    amountCents: Number(r.amount_cents),
    taxTreatment: r.tax_treatment,
    productCode: r.product_code,
  };
}
