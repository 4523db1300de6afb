import type { Executor } from '../db/index.ts';
import type { TasksTable } from '../db/schema.ts';
import { parseJson, type Address } from '../http/schemas.ts';
import type { TaskType } from '../task-types/store.ts';
import { statusOf } from '../task-types/workflow.ts';
import type { TaskDto } from './schemas.ts';

export type TaskRow = TasksTable;

export const findTaskRow = (db: Executor, orgId: string, id: string) =>
  db.selectFrom('tasks').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

/** Assignee ids for each of the given tasks, in one query. */
export async function assigneesOf(db: Executor, orgId: string, taskIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(taskIds.map((id) => [id, []]));
  if (taskIds.length === 0) return map;
  const rows = await db
    .selectFrom('task_assignees')
    .select(['task_id', 'user_id'])
    .where('org_id', '=', orgId)
    .where('task_id', 'in', taskIds)
    .orderBy('user_id')
    .execute();
  for (const r of rows) map.get(r.task_id)?.push(r.user_id);
  return map;
}

export async function clientNamesOf(db: Executor, orgId: string, clientIds: (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(clientIds.filter((x): x is string => x !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('clients').select(['id', 'name']).where('org_id', '=', orgId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function toTaskDto(row: TaskRow, type: TaskType, assigneeIds: string[], clientName: string | undefined): TaskDto {
  return {
    id: row.id,
    number: row.number,
    displayNumber: `${type.prefix}-${row.number}`,
    typeId: row.type_id,
    status: row.status,
    statusCategory: statusOf(type.workflow, row.status)?.category ?? 'open',
    title: row.title,
    description: row.description,
    client: row.client_id ? { id: row.client_id, name: clientName ?? '' } : null,
    parentId: row.parent_id,
    assigneeIds,
    scheduledStart: row.scheduled_start,
    scheduledEnd: row.scheduled_end,
    siteAddress: parseJson<Address>(row.site_address),
    statusChangedAt: row.status_changed_at,
    completedAt: row.completed_at,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Turns rows into DTOs with two extra queries for the whole batch (assignees, client names). */
export async function toTaskDtos(db: Executor, orgId: string, rows: TaskRow[], types: Map<string, TaskType>): Promise<TaskDto[]> {
  const [assignees, clients] = await Promise.all([
    assigneesOf(db, orgId, rows.map((r) => r.id)),
    clientNamesOf(db, orgId, rows.map((r) => r.client_id)),
  ]);
  return rows.map((r) => toTaskDto(r, types.get(r.type_id)!, assignees.get(r.id) ?? [], r.client_id ? clients.get(r.client_id) : undefined));
}
