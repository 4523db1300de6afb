import { invalid } from '../shared/errors.ts';
import { parseRatePercent } from './tax-rate.ts';

/**
 * Canadian sales taxes as data. Only GST, HST and QST are handled. The provincial sales taxes
 * of BC, MB and SK (PST/RST) are deliberately absent: a service business usually collects and
 * remits them separately, so those regions get GST alone here.
 *
 * To change a rate, close the old row with `effectiveTo` (inclusive) and append a new row whose
 * `effectiveFrom` is the next day. Dates are calendar dates 'YYYY-MM-DD' (the invoice date).
 */
export const PROVINCES = ['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT'] as const;
export type Province = (typeof PROVINCES)[number];
/** A province or territory code, or 'exempt' for a client that pays no sales tax. */
export type TaxRegion = Province | 'exempt';
export type TaxKind = 'GST' | 'HST' | 'QST';

export interface TaxRateRow {
  region: Province;
  tax: TaxKind;
  /** Exact percent text, at most 3 decimals: '5', '9.975'. */
  ratePercent: string;
  effectiveFrom: string;
  /** Last day the rate applies (inclusive); absent while in force. */
  effectiveTo?: string;
}

/** A row with its rate parsed to parts per 100,000 (9.975 % → 9975). */
export interface TaxRate extends TaxRateRow {
  ratePer100k: number;
}

const gst = (region: Province): TaxRateRow => ({ region, tax: 'GST', ratePercent: '5', effectiveFrom: '2008-01-01' });

export const TAX_RATE_ROWS: readonly TaxRateRow[] = [
  ...(['AB', 'BC', 'MB', 'NT', 'NU', 'SK', 'YT', 'QC'] as const).map(gst),
  { region: 'QC', tax: 'QST', ratePercent: '9.975', effectiveFrom: '2013-01-01' },
  { region: 'ON', tax: 'HST', ratePercent: '13', effectiveFrom: '2010-07-01' },
  { region: 'NB', tax: 'HST', ratePercent: '15', effectiveFrom: '2016-07-01' },
  { region: 'NL', tax: 'HST', ratePercent: '15', effectiveFrom: '2016-07-01' },
  { region: 'PE', tax: 'HST', ratePercent: '15', effectiveFrom: '2016-10-01' },
  { region: 'NS', tax: 'HST', ratePercent: '15', effectiveFrom: '2010-07-01', effectiveTo: '2025-03-31' },
  { region: 'NS', tax: 'HST', ratePercent: '14', effectiveFrom: '2025-04-01' },
];

// Parsed once at load: a malformed row fails at start-up, not on an invoice.
export const TAX_RATES: readonly TaxRate[] = TAX_RATE_ROWS.map((r) => ({ ...r, ratePer100k: parseRatePercent(r.ratePercent) }));

const TAX_ORDER: Record<TaxKind, number> = { GST: 0, HST: 1, QST: 2 };
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The tax rates that apply in `region` on the calendar date `onDate` ('YYYY-MM-DD'), GST/HST before QST. */
export function taxesFor(region: string, onDate: string): TaxRate[] {
  checkDate(onDate);
  if (region === 'exempt') return [];
  if (!isProvince(region)) {
    throw invalid('unknown_tax_region', `unknown tax region ${JSON.stringify(region)}`, { region, allowed: [...PROVINCES, 'exempt'] });
  }
  const rows = TAX_RATES.filter((r) => r.region === region);
  // Before the data covers every tax of the region the answer would silently be wrong: refuse.
  if (onDate < coveredFrom(rows)) {
    throw invalid('tax_rates_unknown_for_date', `no tax rates are recorded for ${region} on ${onDate}`, { region, date: onDate });
  }
  return rows
    .filter((r) => r.effectiveFrom <= onDate && (r.effectiveTo === undefined || onDate <= r.effectiveTo))
    .sort((a, b) => TAX_ORDER[a.tax] - TAX_ORDER[b.tax]);
}

/** True for the 13 province and territory codes. */
export function isProvince(region: string): region is Province {
  return (PROVINCES as readonly string[]).includes(region);
}

/** The first date from which every tax kind of the region has a recorded rate. */
function coveredFrom(rows: readonly TaxRate[]): string {
  const firstByTax = new Map<TaxKind, string>();
  for (const r of rows) {
    const seen = firstByTax.get(r.tax);
    if (seen === undefined || r.effectiveFrom < seen) firstByTax.set(r.tax, r.effectiveFrom);
  }
  // biome-ignore lint/complexity/useMathMinMax: ISO dates (strings), the later one; Math.max is for numbers
  return [...firstByTax.values()].reduce((a, b) => (a > b ? a : b));
}

function checkDate(onDate: string): void {
  const t = DATE_RE.test(onDate) ? Date.parse(`${onDate}T00:00:00Z`) : NaN;
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== onDate) {
    throw invalid('invalid_tax_date', 'the tax date must be a calendar date YYYY-MM-DD', { date: onDate });
  }
}
