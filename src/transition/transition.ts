import type { Principal } from '../accounts/principal.ts';
import { runAutomations } from '../automation/index.ts';
import { retractOnReopen } from '../consolidation/index.ts';
import { runTransaction } from '../db/transaction.ts';
import { checkVersion } from '../db/versioned.ts';
import type { Deps } from '../deps.ts';
import { guardIssuedInvoiceTask, issueInvoiceOnDone, syncPaymentWithStatus } from '../invoicing/index.ts';
import { AppError, notAllowed, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { findTaskType } from '../task-types/store.ts';
import { allowedTargets, isAllowed, statusOf } from '../task-types/workflow.ts';
import { assertCanSeeTask, loadTaskDto, lockTaskWithType, toTaskDto, type ApplyTransition, type TaskRow, type TransitionEvent } from '../tasks/index.ts';
import type { TaskDto } from '../tasks/schemas.ts';
import { writeStatus } from './write-status.ts';

/*
 * What happens when a task changes status — completing a task is the common case. Read top to
 * bottom: this file is the whole sequence, every step called by name, in its order. The flow
 * note beside it (README.md) says which transaction each part runs in, what waits for the
 * commit, and which lock, unique index or trigger each guarantee rests on.
 */

/** Automation chains stop here; a loop is refused, never followed forever. */
export const MAX_TRANSITION_DEPTH = 8;

/** POST /tasks/:id/transitions: moves a task to another status of its workflow, in one transaction. */
export async function transitionTask(deps: Deps, p: Principal, id: string, input: { to: string; version?: number }): Promise<TaskDto> {
  // One transaction; runTransaction runs it again after a deadlock, and writes a failed
  // automation's run log once it has rolled back.
  const { locked, moved } = await runTransaction(deps, async (trx) => {
    // Guard, and the lock: the task row stays ours until COMMIT (a concurrent move waits). Its
    // type is read (FOR SHARE) in the same statement, for step 2 below: one round trip, not two.
    const locked = await lockTaskWithType(trx, deps, p.orgId, id);
    if (!locked) throw notFound('task', id);
    await assertCanSeeTask(trx, p, id);
    checkVersion('tasks', locked.task.version, input.version);
    return { locked, moved: await moveTask(trx, deps, locked.task, input.to, p, 0) };
  });
  // The answer: when only the status changed, the row as written, with the type, client name and
  // assignees the lock read. Otherwise read after commit (the locks are released sooner): the
  // steps may have changed the task again (e.g. consolidation made it a sub-task).
  if (moved.onlyStatusChanged && locked.around) return toTaskDto(moved.task, locked.type, locked.around.assigneeIds, locked.around.clientName);
  return (await loadTaskDto(deps.db.kysely, p.orgId, id))!;
}

/** What a transition did: the task row as it wrote it, and whether anything else may have changed the task. */
interface Moved {
  task: TaskRow;
  /**
   * Nothing but the status change touched the task in this transaction: every rule that ran left
   * it as it was (a rule can re-parent it or move it again; each action says, see
   * ActionOutcome.taskAsIs), retractOnReopen did not give a reopened task its parent back, and
   * no test hook ran. The other steps write invoices, never the task. `task` is then the row as
   * committed.
   */
  onlyStatusChanged: boolean;
}

/**
 * The transition itself, on a task row the caller has locked. MUST run inside the caller's
 * transaction. Automations, consolidation, payments and credit notes reach it through
 * `deps.applyTransition` for the transitions they cause (an automation's with depth + 1).
 */
export const applyTransition: ApplyTransition = async (trx, deps, task, to, actor, depth, moment, opts) =>
  (await moveTask(trx, deps, task, to, actor, depth, moment, opts)).task;

// applyTransition, telling transitionTask whether its answer needs a re-read (see Moved).
async function moveTask(...[trx, deps, task, to, actor, depth, moment, opts = {}]: Parameters<ApplyTransition>): Promise<Moved> {
  // 1. Guard: an automation chain that loops is stopped.
  if (depth >= MAX_TRANSITION_DEPTH) {
    throw new AppError('conflict', 'automation_loop', `automations chained more than ${MAX_TRANSITION_DEPTH} transitions; stopped`, {
      taskId: task.id,
      to,
    });
  }

  // 2. Guard: the workflow allows the move. Shared lock on the task type: the workflow cannot
  //    lose the target status before this transaction commits.
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

  // 3. The status change, on the version read under the lock (409 stale_version otherwise), and
  // 4. its history row.
  const now = deps.clock.now().toISOString();
  const changes = {
    status: to,
    status_changed_at: now,
    completed_at: target.category === 'done' ? now : null,
    updated_by: actor?.userId ?? null,
    updated_at: now,
  };
  const version = await writeStatus(trx, deps, task, changes, newId());
  const next: TaskRow = { ...task, ...changes, version };

  // 5. The steps, in this order. Each decides from the event whether it applies; any that
  //    throws rolls the whole transition back.
  const event: TransitionEvent = {
    task: next,
    from: task.status,
    to,
    fromCategory: from?.category ?? 'open',
    toCategory: target.category,
    actor,
    depth,
    moment: moment ?? now,
  };
  // The task of an issued invoice leaves "done" only through a credit note: first, so nothing runs for a refused move.
  await guardIssuedInvoiceTask(trx, event, deps);
  // A reopened sub-task takes its consolidated content back, before any rule reacts to the reopen.
  const reparented = await retractOnReopen(trx, event, deps);
  // A billing task entering "done" issues its invoice (number, frozen copy): before the rules, so "send the invoice" finds it.
  await issueInvoiceOnDone(trx, event, deps);
  // Entering or leaving "paid" moves the invoice's payment state: before the rules, so they see it current.
  await syncPaymentWithStatus(trx, event, deps);
  // The organization's rules, in their order: emails and webhooks become outbox rows here (sent after COMMIT).
  const rulesLeftTask = await runAutomations(trx, event, deps);
  // Test seam: extra steps a test adds to fail or pause a transition at its end; empty in production.
  for (const step of deps.transitionHooks) await step(trx, event, deps);
  return { task: next, onlyStatusChanged: rulesLeftTask && !reparented && deps.transitionHooks.length === 0 };
}
