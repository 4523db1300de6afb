import { invalid } from './errors.ts';

/** Quantities are exact decimals with at most 3 places, stored as integer thousandths. */
export const QUANTITY_SCALE = 1000n;
export const MAX_QUANTITY_MILLI = 1_000_000_000; // 1,000,000 units
export const MAX_UNIT_PRICE_CENTS = 100_000_000; // $1,000,000.00

const DECIMAL_RE = /^(\d{1,7})(?:\.(\d{1,3}))?$/;

/** Parses "12.5" or 12.5 into thousandths (12500), exactly, or throws `invalid_quantity`. */
export function parseQuantity(value: string | number, field = 'quantity'): number {
  const text = typeof value === 'number' ? numberToDecimalText(value) : value.trim();
  const m = text === null ? null : DECIMAL_RE.exec(text);
  if (!m) {
    throw invalid('invalid_quantity', `${field} must be a positive decimal with at most 3 decimal places`, {
      field,
    });
  }
  const milli = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  if (milli <= 0 || milli > MAX_QUANTITY_MILLI) {
    throw invalid('invalid_quantity', `${field} must be greater than 0 and at most 1000000`, { field });
  }
  return milli;
}

function numberToDecimalText(n: number): string | null {
  if (!Number.isFinite(n) || n < 0) return null;
  // String() gives the shortest text that round-trips, i.e. what the client wrote for ≤15 digits.
  const s = String(n);
  return /e/i.test(s) ? null : s;
}

/** Formats thousandths back to the shortest exact decimal text: 12500 → "12.5". */
export function formatQuantity(milli: number): string {
  const whole = Math.trunc(milli / 1000);
  const frac = String(milli % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** quantity × unit price, rounded half-up to the cent, computed in exact integers. */
export function lineAmountCents(quantityMilli: number, unitPriceCents: number): number {
  const product = BigInt(quantityMilli) * BigInt(unitPriceCents);
  return Number(divRoundHalfUp(product, QUANTITY_SCALE));
}

/** Integer division rounding half away from zero. */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (ad * 2n);
  return neg ? -q : q;
}

export function checkUnitPrice(cents: number, field = 'unitPriceCents'): number {
  if (!Number.isSafeInteger(cents) || cents < 0 || cents > MAX_UNIT_PRICE_CENTS) {
    throw invalid('invalid_unit_price', `${field} must be a whole number of cents from 0 to ${MAX_UNIT_PRICE_CENTS}`, {
      field,
    });
  }
  return cents;
}
