import type { SelectQueryBuilder } from 'kysely';
import { forUpdate, staticQuery, type Database, type Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { findTaskType, statusOf, type TaskType } from '../task-types/index.ts';
import type { TaskRow } from '../tasks/index.ts';

export const isClosedCategory = (c: string | undefined) => c === 'done' || c === 'cancelled';

export async function categoryOf(trx: Executor, task: TaskRow): Promise<string | undefined> {
  const type = await findTaskType(trx, task.org_id, task.type_id);
  return type && statusOf(type.workflow, task.status)?.category;
}

/**
 * The source's main task, if it is still open, locked in `mode`. 'share' (PostgreSQL FOR SHARE)
 * is enough to copy content in: closing or editing the main task (FOR UPDATE, or an UPDATE)
 * still waits for the completions in flight, and one waiting for a close sees it closed — yet
 * completions under one main task run side by side, queueing only on the line counter at their
 * tail (takeLinePositions). 'update' when the completion may go on to complete the main task:
 * then two last siblings must not each miss the other's completion.
 */
export async function lockOpenParent(trx: Executor, deps: Deps, source: TaskRow, mode: 'share' | 'update'): Promise<TaskRow | undefined> {
  if (!source.parent_id) return undefined;
  const read = deps.db.dialect === 'postgres' ? parentLocked[mode] : parentOnSqlite;
  const parent = (await read(trx, source.org_id, source.parent_id)).rows[0];
  if (!parent || isClosedCategory(await categoryOf(trx, parent))) return undefined;
  return parent;
}

// On every completion: built once per lock mode (see staticQuery). SQLite has one writer, no row locks.
const parentQuery = (lock: (q: SelectQueryBuilder<Database, 'tasks', TaskRow>) => SelectQueryBuilder<Database, 'tasks', TaskRow>) =>
  staticQuery((db, orgId: string, id: string) => lock(db.selectFrom('tasks').selectAll().where('org_id', '=', orgId).where('id', '=', id)));
const parentOnSqlite = parentQuery((q) => q);
const parentLocked = { share: parentQuery((q) => q.forShare()), update: parentQuery((q) => q.forUpdate()) };

/**
 * Locks the client's row: completions looking for its open invoice and new invoice tasks
 * sweeping its pending content take it first, so one always sees what the other committed
 * (work never stays pending beside an invoice created at the same moment). FOR NO KEY UPDATE,
 * not FOR UPDATE: rows referencing the client (an invoice issued by a concurrent close, a new
 * task) take KEY SHARE for their foreign key, and must not wait on us — that was a deadlock.
 */
export async function lockClient(trx: Executor, deps: Deps, orgId: string, clientId: string): Promise<void> {
  const q = trx.selectFrom('clients').select('id').where('org_id', '=', orgId).where('id', '=', clientId);
  await (deps.db.dialect === 'postgres' ? q.forNoKeyUpdate() : q).execute();
}

/**
 * The client's oldest open task of the billing type, locked (after the client's row). On
 * PostgreSQL the status test is re-checked after the lock wait, so an invoice closed meanwhile
 * is passed over for the next.
 */
export async function lockOpenInvoice(
  trx: Executor,
  deps: Deps,
  input: { orgId: string; clientId: string; invoiceType: TaskType; exceptTaskId: string },
): Promise<TaskRow | undefined> {
  await lockClient(trx, deps, input.orgId, input.clientId);
  const openKeys = input.invoiceType.workflow.statuses.filter((s) => !isClosedCategory(s.category)).map((s) => s.key);
  if (openKeys.length === 0) return undefined;
  const q = trx
    .selectFrom('tasks')
    .selectAll()
    .where('org_id', '=', input.orgId)
    .where('client_id', '=', input.clientId)
    .where('type_id', '=', input.invoiceType.id)
    .where('status', 'in', openKeys)
    .where('id', '!=', input.exceptTaskId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1);
  return forUpdate(q, deps.db.dialect).executeTakeFirst();
}
