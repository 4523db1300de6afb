import type { Executor } from '../db/index.ts';
import { notAllowed } from '../shared/errors.ts';
import type { TaskRow } from './store.ts';

/** The first invoice (or credit note) issued for the task, if any. */
export const firstInvoiceOf = (trx: Executor, task: Pick<TaskRow, 'org_id' | 'id'>) =>
  trx
    .selectFrom('invoices')
    .select(['id', 'number'])
    .where('org_id', '=', task.org_id)
    .where('task_id', '=', task.id)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();

/** The task's live consolidation as a source (active into a target, or pending as unbilled), if any. */
export const consolidationFrom = (trx: Executor, task: Pick<TaskRow, 'org_id' | 'id'>) =>
  trx
    .selectFrom('consolidations')
    .select(['id', 'state', 'target_task_id'])
    .where('org_id', '=', task.org_id)
    .where('source_task_id', '=', task.id)
    .where('state', '!=', 'retracted')
    .executeTakeFirst();

/**
 * Guard: a task whose content is billed — consolidated (until it is reopened) or invoiced —
 * refuses a change to `what` (409 task_content_consolidated or task_invoiced).
 */
export async function assertContentNotBilled(
  trx: Executor,
  task: Pick<TaskRow, 'org_id' | 'id'>,
  what: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  const invoice = await firstInvoiceOf(trx, task);
  if (invoice) {
    throw notAllowed('task_invoiced', `invoice ${invoice.number} was issued for this task: its ${what} can no longer change`, {
      taskId: task.id,
      ...details,
      invoiceId: invoice.id,
    });
  }
  const consolidated = await consolidationFrom(trx, task);
  if (consolidated) {
    const where = consolidated.target_task_id ? 'consolidated into another task' : 'waiting as unbilled for its client';
    throw notAllowed('task_content_consolidated', `this task's content is ${where}: its ${what} cannot change until it is reopened`, {
      taskId: task.id,
      ...details,
      consolidationId: consolidated.id,
      targetTaskId: consolidated.target_task_id,
    });
  }
}

/**
 * Guard: once a task's content is billed, who it bills and where it sits are frozen, so work
 * can never move to another client's invoice. Refuses (409) a change of client or parent of a
 * task whose content is consolidated (until it is reopened) or that was invoiced, and a change
 * of client of a task holding content consolidated from others. The database holds the same
 * rule (migration 0009); this answers first, with a code that says why.
 */
export async function assertBillingFactsEditable(trx: Executor, current: TaskRow, next: Pick<TaskRow, 'client_id' | 'parent_id'>): Promise<void> {
  const fields = [...(next.client_id !== current.client_id ? ['clientId'] : []), ...(next.parent_id !== current.parent_id ? ['parentId'] : [])];
  if (fields.length === 0) return;
  await assertContentNotBilled(trx, current, fields.join(' and '), { fields });
  if (!fields.includes('clientId')) return;
  const holds = await trx
    .selectFrom('consolidations')
    .select('id')
    .where('org_id', '=', current.org_id)
    .where('target_task_id', '=', current.id)
    .where('state', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  if (holds) {
    throw notAllowed('task_holds_consolidated_content', 'this task holds work consolidated from other tasks for its client: its client cannot change', {
      taskId: current.id,
      fields: ['clientId'],
    });
  }
}
