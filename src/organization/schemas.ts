import { z } from 'zod';
import { Address, Id, Locale, Timestamp } from '../http/schemas.ts';

const SellerField = z.enum(['name', 'address', 'gstNumber', 'qstNumber']);

/** Whether invoices charging each tax can be issued, and what the organization must fill in first. */
export const InvoicingReadinessSchema = z
  .object({
    ready: z.boolean().describe('Invoices can be issued to any client: nothing is missing for GST, HST or QST (always true for a small supplier)'),
    missing: z.array(SellerField).describe('Fields to fill in (PATCH /organization) before an invoice charging some tax can be issued'),
    missingByTax: z.object({ GST: z.array(SellerField), HST: z.array(SellerField), QST: z.array(SellerField) }),
  })
  .describe(
    "An invoice that charges a tax needs the seller's legal name (the organization's name), address and the registration number of that tax; closing one without them answers 409 invoice_seller_details_missing",
  );

/** The organization's settings, as invoices show them (seller, numbering, payment terms). */
export const OrganizationSettingsSchema = z.object({
  id: Id,
  name: z.string(),
  locale: z.string(),
  timeZone: z.string(),
  currency: z.string(),
  address: Address.nullable(),
  gstNumber: z.string().nullable().describe('GST/HST registration number, e.g. 123456789RT0001'),
  qstNumber: z.string().nullable().describe('QST registration number, e.g. 1234567890TQ0001'),
  phone: z.string().nullable().describe('Printed in the seller block of its invoices'),
  email: z.string().nullable().describe('Printed on its invoices, and the Reply-To of the emails it sends'),
  emailSenderName: z.string().nullable().describe("The From name of the emails it sends; null: the organization's name"),
  smallSupplier: z.boolean().describe('A small supplier, not registered for GST/HST or QST: its invoices charge no tax and say so'),
  invoicing: InvoicingReadinessSchema,
  invoiceNumberPattern: z.string().describe('Tokens {yyyy} {yy} {mm} {seq} {seq:N}; e.g. F-{yyyy}-{seq:5}'),
  defaultPaymentTermsDays: z.number().int().describe('Days from issue to due date, unless the client has its own'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type OrganizationSettingsDto = z.infer<typeof OrganizationSettingsSchema>;

/** Goes into a From header: one line, no angle brackets or quotes that would end the display name. */
const SenderName = z
  .string()
  .trim()
  .max(100)
  .refine((v) => !/[\r\n<>"\\]/.test(v), { error: 'one line, without < > " or \\' });

export const PaymentTermsDays = z.number().int().min(0).max(365);

export const UpdateOrganizationBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    locale: Locale.optional(),
    timeZone: z.string().max(64).optional().describe('An IANA time zone, e.g. America/Montreal'),
    address: Address.nullable().optional(),
    gstNumber: z.string().max(40).nullable().optional(),
    qstNumber: z.string().max(40).nullable().optional(),
    phone: z.string().trim().max(40).nullable().optional().describe('null or empty clears it'),
    email: z
      .union([z.literal(''), z.email().max(254)])
      .nullable()
      .optional()
      .describe('null or empty clears it'),
    emailSenderName: SenderName.nullable().optional().describe('null or empty clears it'),
    smallSupplier: z.boolean().optional().describe('true: not registered, invoices charge no tax (the organization must then have no tax numbers)'),
    invoiceNumberPattern: z.string().max(40).optional(),
    defaultPaymentTermsDays: PaymentTermsDays.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' });
export type UpdateOrganizationInput = z.output<typeof UpdateOrganizationBody>;
