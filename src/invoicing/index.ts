export { computeTotals, TotalsAccumulator } from './totals.ts';
export type { CentsInput, InvoiceTotals, TaxAmount, TaxTreatment, TotalsLine } from './totals.ts';
export { taxesFor, isProvince, PROVINCES, TAX_RATE_ROWS, TAX_RATES } from './tax-rates.ts';
export type { Province, TaxKind, TaxRate, TaxRateRow, TaxRegion } from './tax-rates.ts';
export { parseRatePercent, formatRatePercent, applyRate, RATE_SCALE } from './tax-rate.ts';
