export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 60 * 60_000;

/**
 * How long to wait after the `attempts`-th failed try: 30 s × 2^(attempts − 1), capped at 1 h,
 * minus a random part of up to half (jitter, so failed rows do not all come back together).
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
  return Math.round(ceiling * (0.5 + random() / 2));
}
