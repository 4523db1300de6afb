import { encodeCursor } from './cursor.ts';

/**
 * Splits `limit + 1` rows into one page and the cursor after its last row: the extra row only
 * tells that there is a next page (`nextCursor` is null on the last one).
 */
export function splitPage<R>(rows: R[], limit: number, cursorOf: (last: R) => unknown): { page: R[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { page, nextCursor: more ? encodeCursor(cursorOf(page[page.length - 1])) : null };
}

/** One page of items out of `limit + 1` rows (see splitPage). */
export function pageOf<R, T>(rows: R[], limit: number, toItem: (r: R) => T, cursorOf: (last: R) => unknown) {
  const { page, nextCursor } = splitPage(rows, limit, cursorOf);
  return { items: page.map(toItem), nextCursor };
}

/** A cursor guard for decodeCursor: an object whose named fields are all strings. */
export const isCursorOf =
  <K extends string>(...keys: K[]) =>
  (v: unknown): v is { [k in K]: string } =>
    typeof v === 'object' && v !== null && keys.every((k) => typeof (v as Record<string, unknown>)[k] === 'string');

export const isIdCursor = isCursorOf('id');
