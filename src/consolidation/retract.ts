import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { conflict } from '../shared/errors.ts';
import { findTaskType } from '../task-types/index.ts';
import { lockTask, type TransitionEvent } from '../tasks/index.ts';
import { liveConsolidation } from './consolidate.ts';
import { removeCopies } from './copy-content.ts';
import { categoryOf, isClosedCategory } from './targets.ts';

/**
 * Transition step: a consolidated task that leaves `done` takes its content back from the
 * target, in the same transaction, while the target is still open. A closed target refuses
 * the reopen (409 consolidated_into_closed_task) — an issued invoice never changes.
 * Resolves true when it changed the task row itself (gave it its parent back).
 */
export async function retractOnReopen(trx: Executor, event: TransitionEvent, deps: Deps): Promise<boolean> {
  if (event.fromCategory !== 'done' || event.toCategory === 'done') return false;
  const task = event.task;
  const c = await liveConsolidation(trx, task.org_id, task.id);
  if (!c) return false;
  if (c.target_task_id) {
    const target = await lockTask(trx, deps, task.org_id, c.target_task_id);
    if (target && isClosedCategory(await categoryOf(trx, target))) {
      const type = await findTaskType(trx, target.org_id, target.type_id);
      throw conflict(
        'consolidated_into_closed_task',
        `this task's content is on ${type?.prefix ?? ''}-${target.number}, which is ${target.status}; it cannot be reopened`,
        {
          taskId: target.id,
          displayNumber: `${type?.prefix ?? ''}-${target.number}`,
          status: target.status,
        },
      );
    }
    await removeCopies(trx, deps, task.org_id, c);
  }
  // Retracted before the parent is given back: the database refuses a new parent to a task
  // whose content is still consolidated (migration 0009).
  await trx
    .updateTable('consolidations')
    .set({ state: 'retracted', retracted_at: deps.clock.now().toISOString() })
    .where('org_id', '=', task.org_id)
    .where('id', '=', c.id)
    .execute();
  if (c.target_task_id && c.reparented) {
    await trx
      .updateTable('tasks')
      .set((eb) => ({ parent_id: c.previous_parent_id, version: eb('version', '+', 1) }))
      .where('org_id', '=', task.org_id)
      .where('id', '=', task.id)
      .where('parent_id', '=', c.target_task_id)
      .execute();
    return true;
  }
  return false;
}
