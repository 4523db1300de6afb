import type { Address } from '../http/schemas.ts';
import type { TaxKind } from '../billing-math/index.ts';
import { conflict } from '../shared/errors.ts';

/** A seller detail an invoice that charges a tax must show; the organization's field names. */
export type SellerField = 'name' | 'address' | 'gstNumber' | 'qstNumber';

export interface SellerDetails {
  /** The organization's name, printed as the seller's legal name. */
  name: string;
  address: Address | null;
  gstNumber: string | null;
  qstNumber: string | null;
  smallSupplier: boolean;
}

/** What an invoice charging each tax must name: the seller's legal name, address and registration for that tax. */
const REQUIRED: Record<TaxKind, readonly SellerField[]> = {
  GST: ['name', 'address', 'gstNumber'],
  HST: ['name', 'address', 'gstNumber'], // one GST/HST registration number covers both
  QST: ['name', 'address', 'qstNumber'],
};
const TAXES = Object.keys(REQUIRED) as TaxKind[];
const FIELD_ORDER: readonly SellerField[] = ['name', 'address', 'gstNumber', 'qstNumber'];

/** The seller details missing to charge `taxes`, in a stable order; none for a small supplier (it charges none). */
export function missingSellerDetails(seller: SellerDetails, taxes: readonly TaxKind[]): SellerField[] {
  if (seller.smallSupplier) return [];
  const present: Record<SellerField, boolean> = {
    name: seller.name.trim() !== '',
    address: seller.address !== null,
    gstNumber: seller.gstNumber !== null,
    qstNumber: seller.qstNumber !== null,
  };
  const needed = new Set(taxes.flatMap((t) => REQUIRED[t]));
  return FIELD_ORDER.filter((f) => needed.has(f) && !present[f]);
}

export interface InvoicingReadiness {
  ready: boolean;
  missing: SellerField[];
  missingByTax: Record<TaxKind, SellerField[]>;
}

/**
 * Can the organization issue invoices that charge each tax Chantier collects? `ready` means
 * every tax (any client's region); `missingByTax` tells, say, an Ontario business that only
 * its Quebec clients' invoices (QST) wait for something.
 */
export function invoicingReadiness(seller: SellerDetails): InvoicingReadiness {
  const missingByTax = Object.fromEntries(TAXES.map((t) => [t, missingSellerDetails(seller, [t])])) as Record<TaxKind, SellerField[]>;
  const missing = missingSellerDetails(seller, TAXES);
  return { ready: missing.length === 0, missing, missingByTax };
}

/** Guard before issuing: throws 409 `invoice_seller_details_missing` naming what charging `taxes` still needs. */
export function requireSellerDetails(seller: SellerDetails, taxes: readonly TaxKind[]): void {
  const missing = missingSellerDetails(seller, taxes);
  if (missing.length === 0) return;
  throw conflict(
    'invoice_seller_details_missing',
    `this invoice charges ${taxes.join(' and ')}: the organization needs its ${missing.join(', ')} first (PATCH /api/v1/organization), or to declare itself a small supplier`,
    { missing, taxes: [...taxes] },
  );
}
