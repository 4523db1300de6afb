import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { findTaskType } from '../task-types/index.ts';
import type { TaskRow } from '../tasks/index.ts';
import { attachToTarget } from './consolidate.ts';
import { lockSource } from './source.ts';
import { isClosedCategory, lockClient } from './targets.ts';

/**
 * Task-created hook: a new billing task for a client sweeps in the content waiting for that
 * client (pending consolidations naming its type, or no type), in its creation transaction.
 */
export async function sweepPendingInto(trx: Executor, task: TaskRow, deps: Deps): Promise<void> {
  if (!task.client_id) return;
  const type = await findTaskType(trx, task.org_id, task.type_id);
  if (!type?.billing || isClosedCategory(type.workflow.statuses.find((s) => s.key === task.status)?.category)) return;
  // A completion that found no open invoice commits its pending row before we read them.
  await lockClient(trx, deps, task.org_id, task.client_id);
  const pending = await trx
    .selectFrom('consolidations')
    .selectAll()
    .where('org_id', '=', task.org_id)
    .where('client_id', '=', task.client_id)
    // A literal: the index of pending consolidations holds only those (migration 0018).
    .where('state', '=', sql.lit('pending'))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const c of pending) {
    const opts = JSON.parse(c.options) as { invoiceTypeId: string | null; attachmentNamePattern: string | null };
    if (opts.invoiceTypeId && opts.invoiceTypeId !== type.id) continue;
    // The source's row lock orders us with a reopen of it (which retracts this consolidation):
    // a pending row retracted meanwhile is left alone, never revived onto the new invoice.
    const found = await lockSource(trx, deps, task.org_id, c.source_task_id);
    if (!found) continue;
    const source = found.task;
    const taken = await trx
      .updateTable('consolidations')
      .set({ state: 'active', target_task_id: task.id })
      .where('id', '=', c.id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) continue;
    const sourceType = (await findTaskType(trx, source.org_id, source.type_id))!;
    await attachToTarget(trx, deps, {
      source,
      content: found.content,
      assignees: found.assignees,
      sourcePrefix: sourceType.prefix,
      target: task,
      consolidation: { ...c, state: 'active', target_task_id: task.id },
      namePattern: opts.attachmentNamePattern ?? undefined,
    });
  }
}
