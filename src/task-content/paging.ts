import { encodeCursor } from '../shared/cursor.ts';

/** One page out of `limit + 1` rows: the extra row only tells that there is a next page. */
export function pageOf<R, T>(rows: R[], limit: number, toItem: (r: R) => T, cursorOf: (r: R) => unknown) {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(toItem), nextCursor: more ? encodeCursor(cursorOf(kept[kept.length - 1])) : null };
}

export const isIdCursor = (v: unknown): v is { id: string } =>
  typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';
