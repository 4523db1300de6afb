import type { Updateable } from 'kysely';
import { staleVersion } from '../shared/errors.ts';
import type { Database, Executor } from './schema.ts';
import { staticQuery } from './static-query.ts';

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
export async function updateVersioned<T extends VersionedTable>(trx: Executor, table: T, row: Row, set: Updateable<Database[T]>): Promise<number> {
  const next = row.version + 1;
  // Kysely skips undefined values; so does the SQL built here.
  const columns: string[] = [];
  const values: unknown[] = [];
  let plain = true;
  for (const [column, value] of Object.entries({ ...set, version: next })) {
    if (value === undefined) continue;
    columns.push(column);
    values.push(value);
    plain &&= isPlainValue(value);
  }
  const updated = plain ? await staticUpdate(trx, table, row, columns, values) : await builtUpdate(trx, table, row, columns, values);
  if (Number(updated) !== 1) throw staleVersion(ROW_NAMES[table], next);
  return next;
}

const isPlainValue = (v: unknown) => {
  const type = typeof v;
  return v === null || type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint';
};

type Row = { orgId: string; id: string; version: number };

// The UPDATE's SQL depends only on the table and the columns set, never on their values: each
// such statement is built once per store (staticQuery), the largest cost of a transition's
// update before (issue 10). Arguments: the values in column order, then org id, id, version.
const updates = new Map<string, ReturnType<typeof versionedUpdate>>();
async function staticUpdate(trx: Executor, table: VersionedTable, row: Row, columns: string[], values: unknown[]): Promise<bigint | undefined> {
  const key = `${table}(${columns.join(',')})`;
  let update = updates.get(key);
  if (!update) updates.set(key, (update = versionedUpdate(table, columns)));
  const res = await update(trx, ...values, row.orgId, row.id, row.version);
  return res.numAffectedRows;
}

function versionedUpdate(table: VersionedTable, columns: string[]) {
  const n = columns.length;
  return staticQuery((db, ...args: unknown[]) =>
    db
      .updateTable(table as 'tasks')
      .set(Object.fromEntries(columns.map((c, i) => [c, args[i]])) as Updateable<Database['tasks']>)
      .where('org_id', '=', args[n] as string)
      .where('id', '=', args[n + 1] as string)
      .where('version', '=', args[n + 2] as number),
  );
}

// A value that is an expression (none of today's callers passes one): built the ordinary way.
async function builtUpdate(trx: Executor, table: VersionedTable, row: Row, columns: string[], values: unknown[]): Promise<bigint> {
  // One table at a time; Kysely cannot type a query over a union of tables, hence the widening.
  const res = await trx
    .updateTable(table as 'tasks')
    .set(Object.fromEntries(columns.map((c, i) => [c, values[i]])) as Updateable<Database['tasks']>)
    .where('org_id', '=', row.orgId)
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  return res.numUpdatedRows;
}
