import { requireRole, type Principal } from '../accounts/principal.ts';
import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { parseJson, type Address } from '../http/schemas.ts';
import { checkNumberPattern } from '../invoicing/number-pattern.ts';
import { invalid, notFound } from '../shared/errors.ts';
import { invoicingReadiness, type SellerDetails } from './invoicing-readiness.ts';
import type { OrganizationSettingsDto, UpdateOrganizationInput } from './schemas.ts';
import { checkTimeZone, normalizeTaxNumber } from './validate.ts';
import { runTransaction } from '../db/transaction.ts';

export const findOrganization = (db: Executor, orgId: string) => db.selectFrom('organizations').selectAll().where('id', '=', orgId).executeTakeFirst();

type OrgRow = NonNullable<Awaited<ReturnType<typeof findOrganization>>>;

/** What an invoice names of its seller, as the organization is now. */
export function sellerDetailsOf(r: Pick<OrgRow, 'name' | 'address' | 'gst_number' | 'qst_number' | 'small_supplier'>): SellerDetails {
  return {
    name: r.name,
    address: parseJson<Address>(r.address),
    gstNumber: r.gst_number,
    qstNumber: r.qst_number,
    smallSupplier: Number(r.small_supplier) === 1,
  };
}

export function toOrganizationDto(r: OrgRow): OrganizationSettingsDto {
  const seller = sellerDetailsOf(r);
  return {
    id: r.id,
    name: r.name,
    locale: r.locale,
    timeZone: r.time_zone,
    currency: r.currency,
    address: parseJson<Address>(r.address),
    gstNumber: r.gst_number,
    qstNumber: r.qst_number,
    phone: r.phone,
    email: r.email,
    emailSenderName: r.email_sender_name,
    smallSupplier: seller.smallSupplier,
    invoicing: invoicingReadiness(seller),
    invoiceNumberPattern: r.invoice_number_pattern,
    defaultPaymentTermsDays: Number(r.default_payment_terms_days),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The caller's organization (any role: technicians see the company's details too). */
export async function getOrganization(deps: Deps, p: Principal): Promise<OrganizationSettingsDto> {
  const row = await findOrganization(deps.db.kysely, p.orgId);
  if (!row) throw notFound('organization', p.orgId);
  return toOrganizationDto(row);
}

/** Edits the organization's settings (admin). Issued invoices keep the details they were issued with. */
export async function updateOrganization(deps: Deps, p: Principal, input: UpdateOrganizationInput): Promise<OrganizationSettingsDto> {
  requireRole(p, 'admin');
  if (input.timeZone !== undefined) checkTimeZone(input.timeZone);
  if (input.invoiceNumberPattern !== undefined) checkNumberPattern(input.invoiceNumberPattern);
  const gst = input.gstNumber === undefined ? undefined : normalizeTaxNumber('gstNumber', input.gstNumber);
  const qst = input.qstNumber === undefined ? undefined : normalizeTaxNumber('qstNumber', input.qstNumber);
  await runTransaction(deps, async (trx) => {
    await trx
      .updateTable('organizations')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
        ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
        ...(input.address !== undefined ? { address: input.address && JSON.stringify(input.address) } : {}),
        ...(gst !== undefined ? { gst_number: gst } : {}),
        ...(qst !== undefined ? { qst_number: qst } : {}),
        ...(input.phone !== undefined ? { phone: input.phone || null } : {}),
        ...(input.email !== undefined ? { email: input.email || null } : {}),
        ...(input.emailSenderName !== undefined ? { email_sender_name: input.emailSenderName || null } : {}),
        ...(input.smallSupplier !== undefined ? { small_supplier: input.smallSupplier ? 1 : 0 } : {}),
        ...(input.invoiceNumberPattern !== undefined ? { invoice_number_pattern: input.invoiceNumberPattern } : {}),
        ...(input.defaultPaymentTermsDays !== undefined ? { default_payment_terms_days: input.defaultPaymentTermsDays } : {}),
        updated_at: deps.clock.now().toISOString(),
      })
      .where('id', '=', p.orgId)
      .execute();
    // Checked on the row as updated (and locked), so two concurrent edits cannot combine into it.
    const row = await findOrganization(trx, p.orgId);
    if (row) refuseRegisteredSmallSupplier(sellerDetailsOf(row));
  });
  return getOrganization(deps, p);
}

/** A small supplier is not registered: tax numbers on its no-tax invoices would contradict it. */
function refuseRegisteredSmallSupplier(seller: SellerDetails): void {
  if (!seller.smallSupplier) return;
  const numbers = (['gstNumber', 'qstNumber'] as const).filter((f) => seller[f] !== null);
  if (numbers.length === 0) return;
  throw invalid(
    'small_supplier_registered',
    `a small supplier is not registered for GST/HST or QST: clear ${numbers.join(' and ')}, or set smallSupplier to false`,
    {
      field: 'smallSupplier',
      registered: numbers,
    },
  );
}
