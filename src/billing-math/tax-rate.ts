import { divRoundHalfUp } from '../shared/money.ts';

/**
 * A tax rate is an exact percent with at most 3 decimals, held as an integer number of
 * parts per 100,000 of the base: '9.975' % → 9975 (i.e. 0.09975). Never a float.
 */
export const RATE_SCALE = 100_000n;

const RATE_RE = /^(\d{1,2})(?:\.(\d{1,3}))?$/;

/** Parses a percent such as '9.975' into parts per 100,000 (9975); throws on anything inexact. */
export function parseRatePercent(text: string): number {
  const m = RATE_RE.exec(text);
  if (!m) throw new Error(`tax rate must be a percent with at most 3 decimals, got ${JSON.stringify(text)}`);
  return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
}

/** Formats parts per 100,000 back to the shortest exact percent text: 9975 → '9.975', 5000 → '5'. */
export function formatRatePercent(ratePer100k: number): string {
  const whole = Math.trunc(ratePer100k / 1000);
  const frac = String(ratePer100k % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** base × rate, rounded half away from zero to the cent, in exact integers. */
export function applyRate(baseCents: bigint, ratePer100k: number): bigint {
  return divRoundHalfUp(baseCents * BigInt(ratePer100k), RATE_SCALE);
}
