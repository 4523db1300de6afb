import type { Executor } from './schema.ts';

/**
 * Takes the next value of an organization's counter (task numbers, later invoice numbers).
 * MUST run inside the caller's transaction: the row lock makes numbers gapless and unique,
 * and a rollback gives the number back.
 */
export async function nextCounterValue(trx: Executor, orgId: string, name: string): Promise<number> {
  return reserveCounterValues(trx, orgId, name, 1);
}

/**
 * Takes the next `count` values of a counter at once (bulk creation); returns the first, the
 * others follow it without a gap. Same rules as nextCounterValue: inside the caller's transaction.
 */
export async function reserveCounterValues(trx: Executor, orgId: string, name: string, count: number): Promise<number> {
  const taken = await bump(trx, orgId, name, count);
  if (taken !== undefined) return taken - count + 1;
  await trx
    .insertInto('org_counters')
    .values({ org_id: orgId, name, value: 0 })
    .onConflict((oc) => oc.columns(['org_id', 'name']).doNothing())
    .execute();
  return (await bump(trx, orgId, name, count))! - count + 1;
}

async function bump(trx: Executor, orgId: string, name: string, count: number): Promise<number | undefined> {
  const row = await trx
    .updateTable('org_counters')
    .set((eb) => ({ value: eb('value', '+', count) }))
    .where('org_id', '=', orgId)
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirst();
  return row ? Number(row.value) : undefined;
}
