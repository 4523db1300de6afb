import type { Principal } from '../accounts/principal.ts';
import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { notAllowed, notFound } from '../shared/errors.ts';
import { findTaskType, statusOf } from '../task-types/index.ts';
import { assertCanSeeTask, assertContentNotBilled, findTaskRow, lockTask, type TaskRow } from '../tasks/index.ts';

/** Guard: the task is in the caller's organization and visible to the caller, else 404 task_not_found. */
export async function findVisibleTask(db: Executor, p: Principal, taskId: string): Promise<TaskRow> {
  const task = await findTaskRow(db, p.orgId, taskId);
  if (!task) throw notFound('task', taskId);
  await assertCanSeeTask(db, p, taskId);
  return task;
}

/**
 * Same guard, taking the task's row lock: a line change then cannot race a transition that
 * closes the task, and two line additions cannot take the same position. MUST run in a transaction.
 */
export async function lockVisibleTask(trx: Executor, deps: Deps, p: Principal, taskId: string): Promise<TaskRow> {
  const task = await lockTask(trx, deps, p.orgId, taskId);
  if (!task) throw notFound('task', taskId);
  await assertCanSeeTask(trx, p, taskId);
  return task;
}

/**
 * Guard: a task's invoice lines may change. Every line verb calls this one function, on a
 * locked task (and, for an edit or a delete, the line), so the rule lives in one place.
 * A consolidated copy is read-only: it changes only through its source task (reopen, edit,
 * complete again), else the main task and the sub-task it came from would disagree.
 */
export async function assertLinesEditable(trx: Executor, task: TaskRow, line?: { id: string; consolidation_id: string | null }): Promise<void> {
  if (line?.consolidation_id) {
    throw notAllowed('consolidated_line_read_only', 'this line was consolidated from a sub-task: change it on that task (reopen it first)', {
      taskId: task.id,
      lineId: line.id,
      consolidationId: line.consolidation_id,
    });
  }
  const type = await findTaskType(trx, task.org_id, task.type_id);
  const category = type && statusOf(type.workflow, task.status)?.category;
  if (category === 'done' || category === 'cancelled') {
    throw notAllowed('task_closed', `the task is ${task.status}: its lines can no longer change`, {
      taskId: task.id,
      status: task.status,
    });
  }
}

/**
 * Guard: notes and files may be added to (or removed from) the task. Not once its content is
 * consolidated, until it is reopened: they would not follow to the target (409
 * task_content_consolidated); nor once it was invoiced (409 task_invoiced). Consolidated copies
 * on the target are read-only on their own. MUST run on the locked task.
 */
export const assertNotesAndFilesEditable = (trx: Executor, task: TaskRow) => assertContentNotBilled(trx, task, 'notes and files');
