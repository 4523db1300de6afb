/**
 * Money and tax computation shared by consolidation and invoicing (neither imports the other
 * for it): invoice totals, tax rates by region and date, exact rounding. Line amounts and
 * quantities (quantity × unit price, half-up to the cent) are in `shared/money.ts`, which the
 * web app also imports.
 */
export { computeTotals, TotalsAccumulator } from './totals.ts';
export type { CentsInput, InvoiceTotals, TaxAmount, TaxTreatment, TotalsLine } from './totals.ts';
export { taxesFor, isProvince, PROVINCES, TAX_RATE_ROWS, TAX_RATES } from './tax-rates.ts';
export type { Province, TaxKind, TaxRate, TaxRateRow, TaxRegion } from './tax-rates.ts';
export { parseRatePercent, formatRatePercent, applyRate, RATE_SCALE } from './tax-rate.ts';
export { TaxLineSchema, TotalsSchema } from './schemas.ts';
