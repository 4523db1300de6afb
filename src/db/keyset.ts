import { sql, type Expression, type RawBuilder } from 'kysely';

/**
 * The rows after a keyset cursor's row, in (key, tie) order: `key >= k and (key > k or tie > t)`,
 * or descending `key <= k and (key < k or tie < t)`. The first condition starts the index range at
 * the cursor's key; with the OR alone SQLite read the index from the start of the range and dropped
 * every row before the cursor, so that each page cost all the pages before it (issue 10).
 * `key` and `tie` name a column (`sql.ref`) or an expression that an index holds.
 */
export function keysetAfter(key: Expression<unknown>, k: unknown, tie: Expression<unknown>, t: unknown, desc = false): RawBuilder<boolean> {
  const [from, past] = desc ? [sql.raw('<='), sql.raw('<')] : [sql.raw('>='), sql.raw('>')];
  return sql<boolean>`(${key} ${from} ${k} and (${key} ${past} ${k} or ${tie} ${past} ${t}))`;
}
