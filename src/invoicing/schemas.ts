import { z } from 'zod';
import { TotalsSchema } from '../billing-math/index.ts';
import { Address, Id, PageQuery, Timestamp } from '../http/schemas.ts';

const Day = z.iso.date().describe('YYYY-MM-DD');

export const InvoiceGroupSchema = z.object({
  taskId: Id,
  number: z.string().describe('Display number of the task the line was first entered on, e.g. T-1042'),
  title: z.string(),
  completedAt: Timestamp.nullable(),
  assignees: z.array(z.object({ id: Id, name: z.string() })),
});

export const InvoiceLineSchema = z.object({
  position: z.number().int().describe('1, 2, 3… in the order the invoice shows them'),
  group: InvoiceGroupSchema.nullable().describe("null: the billing task's own line"),
  description: z.string(),
  quantity: z.string().describe('Exact decimal text; negative on a credit note'),
  unit: z.string().nullable(),
  unitPriceCents: z.number().int(),
  amountCents: z.number().int(),
  taxTreatment: z.enum(['taxable', 'exempt']),
  productCode: z.string().nullable(),
});
export type InvoiceLineDto = z.infer<typeof InvoiceLineSchema>;

export const InvoiceSchema = z.object({
  id: Id,
  number: z.string(),
  kind: z.enum(['invoice', 'credit_note']),
  status: z.enum(['unpaid', 'paid', 'credited']).nullable().describe('null on a credit note'),
  paymentStatus: z.enum(['unpaid', 'paid']).nullable(),
  paidAt: Timestamp.nullable(),
  credited: z.object({ creditNoteId: Id, at: Timestamp }).nullable().describe('Set once a credit note cancels this invoice'),
  creditsInvoice: z.object({ id: Id, number: z.string() }).nullable().describe('On a credit note: the invoice it cancels'),
  task: z.object({ id: Id, number: z.string(), title: z.string() }),
  clientId: Id,
  language: z.enum(['fr', 'en']),
  currency: z.string(),
  issueDate: Day,
  dueDate: Day.nullable(),
  paymentTermsDays: z.number().int().nullable(),
  seller: z.object({
    name: z.string(),
    address: Address.nullable(),
    gstNumber: z.string().nullable(),
    qstNumber: z.string().nullable(),
    phone: z.string().nullable().describe("The organization's phone at issue (null on invoices issued before it was kept)"),
    email: z.string().nullable().describe("The organization's email at issue"),
    smallSupplier: z.boolean().describe('Issued as a small supplier: no tax charged'),
  }),
  buyer: z.object({ clientId: Id, name: z.string(), address: Address.nullable(), emails: z.array(z.string()), taxRegion: z.string() }),
  taxRegion: z.string().describe("The tax region the totals were computed for: the client's, or 'exempt' for a small supplier's invoice"),
  taxDate: Day.describe('The date whose tax rates apply'),
  totals: TotalsSchema,
  lineCount: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type InvoiceDto = z.infer<typeof InvoiceSchema>;

export const LinesPageSchema = z.object({ items: z.array(InvoiceLineSchema), nextCursor: z.string().nullable() });

export const InvoiceDetailSchema = InvoiceSchema.extend({
  lines: LinesPageSchema.describe('The first page of lines; GET /invoices/{id}/lines for the rest'),
});

export const ListInvoicesQuery = z.strictObject({
  clientId: Id.optional(),
  taskId: Id.optional(),
  status: z.enum(['unpaid', 'paid', 'credited']).optional().describe('Invoices only (credit notes have no status)'),
  kind: z.enum(['invoice', 'credit_note']).optional(),
  from: Day.optional().describe('Issued on or after'),
  to: Day.optional().describe('Issued on or before'),
  q: z.string().trim().min(1).max(100).optional().describe('Part of the number, case-insensitive (e.g. "0042" or "f-2026")'),
  ...PageQuery,
});
export type ListInvoicesInput = z.output<typeof ListInvoicesQuery>;

export const LinesQuery = z.strictObject({ ...PageQuery, limit: z.coerce.number().int().min(1).max(1000).default(200) });

export const PaymentBody = z.strictObject({
  status: z.enum(['paid', 'unpaid']),
  paidAt: Timestamp.optional().describe('When the payment arrived; default now (ignored for unpaid)'),
});
