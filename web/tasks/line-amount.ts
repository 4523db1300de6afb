// The live amount of a line is computed by the server's own helper (exact integers, half-up to
// the cent), so what the form shows is what the server will store.
import { lineAmountCents, parseQuantity } from '../../src/shared/money.ts';

/** "6,5" or "6.5" → "6.5"; a person types the decimal separator of their language. */
export const normalizeDecimal = (text: string): string =>
  text
    .trim()
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(',', '.');

/** Thousandths of the quantity, or null when it is not one the server accepts. */
export function quantityMilli(text: string): number | null {
  try {
    return parseQuantity(normalizeDecimal(text));
  } catch {
    return null;
  }
}

/** Dollars typed as "1 234,56", "145.5" or "145" → whole cents, exactly; null when not a price. */
export function priceCents(text: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(normalizeDecimal(text).replace(/\$$/, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Cents → "145,50" / "145.50" for an input box. */
export const centsToInput = (cents: number, lng: string): string => {
  const s = (cents / 100).toFixed(2);
  return lng.startsWith('en') ? s : s.replace('.', ',');
};

/** The amount the server will compute, or null while the inputs are incomplete. */
export function liveAmountCents(quantity: string, price: string): number | null {
  const q = quantityMilli(quantity);
  const p = priceCents(price);
  return q === null || p === null ? null : lineAmountCents(q, p);
}
