import type { z } from 'zod';
import { requireRole, type Principal } from '../accounts/principal.ts';
import { nextCounterValue, type Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { invalid } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { findTaskType, type TaskType } from '../task-types/store.ts';
import { statusOf } from '../task-types/workflow.ts';
import type { CreateTaskBody, TaskDto } from './schemas.ts';
import { checkAssignees, checkClient, checkParent, replaceAssignees } from './references.ts';
import { toTaskDto, type TaskRow } from './store.ts';
import { insertLineCounters } from '../task-content/line-store.ts';
import { runTransaction } from '../db/transaction.ts';

export type CreateTaskInput = z.output<typeof CreateTaskBody>;

/** Creates a task (dispatchers and admins). */
export async function createTask(deps: Deps, p: Principal, input: CreateTaskInput): Promise<TaskDto> {
  requireRole(p, 'admin', 'dispatcher');
  return runTransaction(deps, (trx) => insertTask(trx, deps, p.orgId, p.userId, input));
}

/** MUST run inside a transaction; also used by automations (actor null). */
export async function insertTask(trx: Executor, deps: Deps, orgId: string, actorId: string | null, input: CreateTaskInput): Promise<TaskDto> {
  // Shared lock: the workflow cannot lose the initial status before this transaction commits.
  const type = await findTaskType(trx, orgId, input.typeId, { mode: 'share', dialect: deps.db.dialect });
  if (!type) throw invalid('task_type_not_found', 'no such task type', { field: 'typeId', id: input.typeId });
  const status = initialStatusOf(type, input.status);
  checkSchedule(input.scheduledStart, input.scheduledEnd);
  if (input.clientId) await checkClient(trx, orgId, input.clientId);
  if (input.parentId) await checkParent(trx, orgId, input.parentId);
  const assignees = await checkAssignees(trx, orgId, input.assigneeIds);
  const number = await nextCounterValue(trx, orgId, 'task_number');
  const row = newTaskRow(orgId, actorId, input, type.id, status, number, deps.clock.now().toISOString());
  const now = row.created_at;
  await trx.insertInto('tasks').values(row).execute();
  await insertLineCounters(trx, [{ task_id: row.id, org_id: orgId, next_line_position: 1 }]);
  await replaceAssignees(trx, orgId, row.id, assignees);
  await trx
    .insertInto('task_history')
    .values({ id: newId(), org_id: orgId, task_id: row.id, from_status: null, to_status: status, user_id: actorId, at: now })
    .execute();
  for (const hook of deps.taskCreatedHooks) await hook(trx, row, deps);
  const clientName = input.clientId
    ? (await trx.selectFrom('clients').select('name').where('org_id', '=', orgId).where('id', '=', input.clientId).executeTakeFirst())?.name
    : undefined;
  return toTaskDto(row, type, assignees.slice().sort(), clientName);
}

/** The status a new task starts in: the one asked for, else its type's initial one; open or active only. */
export function initialStatusOf(type: TaskType, asked: string | undefined): string {
  const status = asked ?? type.workflow.initial;
  const category = statusOf(type.workflow, status)?.category;
  if (category !== 'open' && category !== 'active') {
    throw invalid('invalid_initial_status', `a new task must start in an open or active status of its type`, { field: 'status' });
  }
  return status;
}

/** The row a new task is stored as (checked input, its number taken). */
export function newTaskRow(
  orgId: string,
  actorId: string | null,
  input: CreateTaskInput,
  typeId: string,
  status: string,
  number: number,
  now: string,
): TaskRow {
  return {
    id: newId(),
    org_id: orgId,
    number,
    type_id: typeId,
    status,
    title: input.title,
    description: input.description ?? null,
    client_id: input.clientId ?? null,
    parent_id: input.parentId ?? null,
    scheduled_start: input.scheduledStart ?? null,
    scheduled_end: input.scheduledEnd ?? null,
    site_address: input.siteAddress ? JSON.stringify(input.siteAddress) : null,
    status_changed_at: now,
    completed_at: null,
    created_by: actorId,
    updated_by: actorId,
    created_at: now,
    updated_at: now,
    version: 1,
  };
}

export function checkSchedule(start: string | null | undefined, end: string | null | undefined): void {
  if (start && end && Date.parse(end) < Date.parse(start)) {
    throw invalid('invalid_schedule', 'scheduledEnd is before scheduledStart', { field: 'scheduledEnd' });
  }
}
