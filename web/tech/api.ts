// The phone's few helpers over the shared fetch wrapper (web/api/client.ts): a write that keeps
// ONE Idempotency-Key across all its tries (automatic and "Réessayer"), money typed in dollars,
// an address on one line.
import { ApiError, mutate, newIdempotencyKey, upload } from '../api/client.ts';
import type { Address } from '../api/types.ts';

export type { Address, Attachment, Line, Note, Task, TaskType, User } from '../api/types.ts';

/** A function that sends this one write; every call reuses the same key, so the server applies it once. */
export function sendWithRetry<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown): () => Promise<T> {
  const key = newIdempotencyKey();
  return () => mutate<T>(method, path, body, { key });
}

/** The same for a file upload, with progress (0–1). */
export function uploadWithRetry<T>(path: string, file: File, onProgress: (fraction: number) => void): () => Promise<T> {
  const key = newIdempotencyKey();
  return () => upload<T>(path, file, onProgress, { key });
}

/** The server said no (4xx): retrying the same request cannot help; the person must change it. */
export function isRefusal(err: unknown): boolean {
  return err instanceof ApiError && err.status >= 400 && err.status < 500 && err.code !== 'idempotency_request_in_progress';
}

/** "12,50", "12.50", "1 234,5" or "12" dollars → 1250 cents; null when it is not an amount. */
export function parseDollarsToCents(text: string): number | null {
  const s = text.replace(/[\s\u00a0\u202f$]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** One line: "12 rue Principale, Québec QC G1R 1A1". */
export function formatAddress(a: Address): string {
  return [a.line1, a.line2, [a.city, a.region, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
}
