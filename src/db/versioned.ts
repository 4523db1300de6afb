import type { Updateable } from 'kysely';
import { staleVersion } from '../shared/errors.ts';
import type { Database, Executor } from './schema.ts';

/** The tables whose rows a client edits with optimistic concurrency, and what an error calls a row. */
const ROW_NAMES = {
  tasks: 'task',
  task_types: 'task type',
  task_lines: 'line',
  automation_rules: 'automation',
  clients: 'client',
  users: 'user',
} as const satisfies Partial<Record<keyof Database, string>>;

export type VersionedTable = keyof typeof ROW_NAMES;

/** 409 stale_version when the client sent the version it read (`expected`) and the row has moved on. */
export function checkVersion(table: VersionedTable, current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) throw staleVersion(ROW_NAMES[table], current);
}

/**
 * Writes `set` to the org's row `id` only if it is still at `version`, and bumps the version.
 * Returns the new version; 409 stale_version when another write got there first (the caller's
 * transaction then rolls back whole).
 */
export async function updateVersioned<T extends VersionedTable>(
  trx: Executor,
  table: T,
  row: { orgId: string; id: string; version: number },
  set: Updateable<Database[T]>,
): Promise<number> {
  const next = row.version + 1;
  // One table at a time; Kysely cannot type a query over a union of tables, hence the widening.
  const res = await (trx as Executor)
    .updateTable(table as 'tasks')
    .set({ ...(set as Updateable<Database['tasks']>), version: next })
    .where('org_id', '=', row.orgId)
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw staleVersion(ROW_NAMES[table], next);
  return next;
}
