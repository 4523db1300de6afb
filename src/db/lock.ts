import type { SelectQueryBuilder } from 'kysely';
import type { Dialect } from './schema.ts';

/**
 * Row lock for a read that precedes a write in the same transaction. PostgreSQL needs
 * FOR UPDATE; SQLite serializes writers on one connection, so it needs (and accepts) none.
 */
export function forUpdate<DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>, dialect: Dialect): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? qb.forUpdate() : qb;
}

/** Shared row lock: readers that rely on a row (a workflow) keep writers of it waiting. PostgreSQL only. */
export function forShare<DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>, dialect: Dialect): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? qb.forShare() : qb;
}
