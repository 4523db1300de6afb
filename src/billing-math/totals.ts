import { invalid } from '../shared/errors.ts';
import { applyRate, formatRatePercent } from './tax-rate.ts';
import { taxesFor, type Province, type TaxKind } from './tax-rates.ts';

export type TaxTreatment = 'taxable' | 'exempt';

export interface TotalsLine {
  /** The line's amount in integer cents (negative for a credit or discount line). */
  amountCents: number;
  taxTreatment: TaxTreatment;
}

export interface TaxAmount {
  tax: TaxKind;
  region: Province;
  /** Exact percent text: '5', '9.975'. */
  ratePercent: string;
  baseCents: number;
  amountCents: number;
}

export interface InvoiceTotals {
  subtotalCents: number;
  taxableSubtotalCents: number;
  exemptSubtotalCents: number;
  taxes: TaxAmount[];
  taxCents: number;
  totalCents: number;
}

/** Cents as a JS integer, a bigint, or integer text (what PostgreSQL returns for SUM of a bigint). */
export type CentsInput = number | bigint | string;

/**
 * Sums taxable and exempt amounts exactly, then taxes the invoice once in `finish`.
 * Lines may be fed one by one (`add`) or as pre-summed subtotals (`addSubtotals`, e.g. from
 * SQL SUM over 100,000 lines); both give the same totals because only the two sums matter.
 */
export class TotalsAccumulator {
  #taxable = 0n;
  #exempt = 0n;

  /** Adds one line to the taxable or exempt subtotal. */
  add(line: TotalsLine): this {
    const cents = toCents(line.amountCents, 'amountCents');
    if (line.taxTreatment === 'taxable') this.#taxable += cents;
    else if (line.taxTreatment === 'exempt') this.#exempt += cents;
    else throw invalid('invalid_tax_treatment', "taxTreatment must be 'taxable' or 'exempt'", { taxTreatment: line.taxTreatment });
    return this;
  }

  /** Adds already-summed taxable and exempt subtotals. */
  addSubtotals(taxableCents: CentsInput, exemptCents: CentsInput): this {
    this.#taxable += toCents(taxableCents, 'taxableCents');
    this.#exempt += toCents(exemptCents, 'exemptCents');
    return this;
  }

  /**
   * Taxes the taxable subtotal with each rate applying in `region` on `onDate`. Each tax is
   * rounded half-up to the cent once per invoice, on the pre-tax base (QST is not compounded on GST).
   * Does not reset the accumulator.
   */
  finish(region: string, onDate: string): InvoiceTotals {
    const base = this.#taxable;
    const taxes = taxesFor(region, onDate).map((r) => ({ row: r, amount: applyRate(base, r.ratePer100k) }));
    const taxSum = taxes.reduce((s, t) => s + t.amount, 0n);
    const subtotal = this.#taxable + this.#exempt;
    return {
      subtotalCents: toSafe(subtotal),
      taxableSubtotalCents: toSafe(this.#taxable),
      exemptSubtotalCents: toSafe(this.#exempt),
      taxes: taxes.map(({ row, amount }) => ({
        tax: row.tax,
        region: row.region,
        ratePercent: formatRatePercent(row.ratePer100k),
        baseCents: toSafe(base),
        amountCents: toSafe(amount),
      })),
      taxCents: toSafe(taxSum),
      totalCents: toSafe(subtotal + taxSum),
    };
  }
}

/** The totals and taxes of an invoice made of `lines`, billed in `region` on `onDate` ('YYYY-MM-DD'). */
export function computeTotals(lines: Iterable<TotalsLine>, region: string, onDate: string): InvoiceTotals {
  const acc = new TotalsAccumulator();
  for (const line of lines) acc.add(line);
  return acc.finish(region, onDate);
}

function toCents(value: CentsInput, field: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d{1,30}$/.test(value)) return BigInt(value);
  throw invalid('invalid_amount', `${field} must be a whole number of cents`, { field });
}

function toSafe(cents: bigint): number {
  const n = Number(cents);
  if (!Number.isSafeInteger(n)) throw invalid('amount_out_of_range', 'an invoice amount is too large', { cents: String(cents) });
  return n;
}
