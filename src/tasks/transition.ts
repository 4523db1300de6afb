import type { Principal } from '../accounts/principal.ts';
import { forUpdate, type Executor } from '../db/index.ts';
import { runTransaction } from '../db/transaction.ts';
import { checkVersion, updateVersioned } from '../db/versioned.ts';
import type { Deps } from '../deps.ts';
import { AppError, notAllowed, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { findTaskType } from '../task-types/store.ts';
import { allowedTargets, isAllowed, statusOf } from '../task-types/workflow.ts';
import { assertCanSeeTask } from './access.ts';
import type { TaskDto } from './schemas.ts';
import { loadTaskDto, type TaskRow } from './store.ts';

/** Automation chains stop here; a loop is refused, never followed forever. */
export const MAX_TRANSITION_DEPTH = 8;

/** Moves a task to another status of its workflow: one transaction, history and hooks included. */
export async function transitionTask(
  deps: Deps,
  p: Principal,
  id: string,
  input: { to: string; version?: number },
): Promise<TaskDto> {
  // One transaction; a deadlock or serialization failure runs it again (runTransaction).
  await runTransaction(deps, async (trx) => {
    const task = await lockTask(trx, deps, p.orgId, id);
    if (!task) throw notFound('task', id);
    await assertCanSeeTask(trx, p, id);
    checkVersion('tasks', task.version, input.version);
    await applyTransition(trx, deps, task, input.to, p, 0);
  });
  // Read after commit: the locks are released sooner, and hooks may have changed the task
  // again (e.g. consolidation made it a sub-task).
  return (await loadTaskDto(deps.db.kysely, p.orgId, id))!;
}

export const lockTask = (trx: Executor, deps: Deps, orgId: string, id: string) =>
  forUpdate(trx.selectFrom('tasks').selectAll().where('org_id', '=', orgId).where('id', '=', id), deps.db.dialect).executeTakeFirst();

/**
 * The transition itself, on a task row already locked by the caller. MUST run inside a
 * transaction: automations call it for the transitions they cause, with depth + 1.
 */
export async function applyTransition(
  trx: Executor,
  deps: Deps,
  task: TaskRow,
  to: string,
  actor: Principal | null,
  depth: number,
  /** The chain's starting moment (see TransitionEvent.moment); default now. */
  moment?: string,
  /**
   * `system`: a move the server makes for a billing fact (a credit note cancels the task, a
   * payment marks it paid), to any status of the workflow, whatever its transitions allow.
   */
  opts: { system?: boolean } = {},
): Promise<TaskRow> {
  if (depth >= MAX_TRANSITION_DEPTH) {
    throw new AppError('conflict', 'automation_loop', `automations chained more than ${MAX_TRANSITION_DEPTH} transitions; stopped`, {
      taskId: task.id,
      to,
    });
  }
  // Shared lock: the workflow cannot lose the target status before this transaction commits.
  const type = await findTaskType(trx, task.org_id, task.type_id, { mode: 'share', dialect: deps.db.dialect });
  if (!type) throw notFound('task_type', task.type_id);
  const from = statusOf(type.workflow, task.status);
  const target = statusOf(type.workflow, to);
  if (!target || (!opts.system && !isAllowed(type.workflow, task.status, to))) {
    throw notAllowed('transition_not_allowed', `a ${type.label.en} task cannot go from "${task.status}" to "${to}"`, {
      from: task.status,
      to,
      allowed: allowedTargets(type.workflow, task.status),
    });
  }
  const now = deps.clock.now().toISOString();
  const next: TaskRow = {
    ...task,
    status: to,
    status_changed_at: now,
    completed_at: target.category === 'done' ? now : null,
    updated_by: actor?.userId ?? null,
    updated_at: now,
    version: task.version + 1,
  };
  await updateVersioned(trx, 'tasks', { orgId: task.org_id, id: task.id, version: task.version }, {
    status: next.status,
    status_changed_at: now,
    completed_at: next.completed_at,
    updated_by: next.updated_by,
    updated_at: now,
  });
  await trx
    .insertInto('task_history')
    .values({ id: newId(), org_id: task.org_id, task_id: task.id, from_status: task.status, to_status: to, user_id: actor?.userId ?? null, at: now })
    .execute();
  const event = { task: next, from: task.status, to, fromCategory: from?.category ?? 'open', toCategory: target.category, actor, depth, moment: moment ?? now };
  for (const hook of deps.transitionHooks) await hook(trx, event, deps);
  return next;
}
