import { z } from 'zod';

/** One tax of an invoice's totals, as the API shows it (see `TaxAmount`). */
export const TaxLineSchema = z.object({
  tax: z.enum(['GST', 'HST', 'QST']),
  region: z.string(),
  ratePercent: z.string(),
  baseCents: z.number().int(),
  amountCents: z.number().int(),
});

/** An invoice's totals as the API shows them (see `InvoiceTotals`). */
export const TotalsSchema = z.object({
  subtotalCents: z.number().int(),
  taxableSubtotalCents: z.number().int(),
  exemptSubtotalCents: z.number().int(),
  taxes: z.array(TaxLineSchema),
  taxCents: z.number().int(),
  totalCents: z.number().int(),
});
