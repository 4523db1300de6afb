import { invalid } from '../shared/errors.ts';

/** Checks an IANA time zone with the runtime's own data; throws `invalid_time_zone`. */
export function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
  } catch {
    throw invalid('invalid_time_zone', `"${timeZone}" is not a time zone`, { field: 'timeZone' });
  }
}

const TAX_NUMBERS = {
  gstNumber: { re: /^\d{9}RT\d{4}$/, example: '123456789RT0001' },
  qstNumber: { re: /^\d{10}TQ\d{4}$/, example: '1234567890TQ0001' },
} as const;

/**
 * A GST/HST (9 digits RT 4 digits) or QST (10 digits TQ 4 digits) registration number, spaces
 * removed and upper-cased, as printed on invoices; an empty one clears it. Throws `invalid_tax_number`.
 */
export function normalizeTaxNumber(field: keyof typeof TAX_NUMBERS, value: string | null): string | null {
  if (value === null) return null;
  const v = value.replace(/[\s-]/g, '').toUpperCase();
  if (v === '') return null;
  const { re, example } = TAX_NUMBERS[field];
  if (!re.test(v)) throw invalid('invalid_tax_number', `${field} must look like ${example}`, { field });
  return v;
}
