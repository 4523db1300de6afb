import { forUpdate, type Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { findTaskType, statusOf, type TaskType } from '../task-types/index.ts';
import type { TaskRow } from '../tasks/index.ts';

export const isClosedCategory = (c: string | undefined) => c === 'done' || c === 'cancelled';

export async function categoryOf(trx: Executor, task: TaskRow): Promise<string | undefined> {
  const type = await findTaskType(trx, task.org_id, task.type_id);
  return type && statusOf(type.workflow, task.status)?.category;
}

/**
 * The source's main task as a target: itself if still open, else none. It comes locked with the
 * source (lockSource's `parentLock`, see ParentLock for the modes).
 */
export async function openParent(trx: Executor, parent: TaskRow | undefined): Promise<TaskRow | undefined> {
  return parent && !isClosedCategory(await categoryOf(trx, parent)) ? parent : undefined;
}

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
