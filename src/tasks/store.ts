import { forUpdate, staticQuery, type Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import type { TasksTable } from '../db/schema.ts';
import { parseJson, type Address } from '../http/schemas.ts';
import { rememberTaskType, toTaskType, type TaskType } from '../task-types/store.ts';
import { statusOf } from '../task-types/workflow.ts';
import type { TaskDto } from './schemas.ts';

export type TaskRow = TasksTable;

export const findTaskRow = (db: Executor, orgId: string, id: string) =>
  db.selectFrom('tasks').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

/** The task row, locked until the transaction ends (PostgreSQL FOR UPDATE; SQLite has one writer). */
export const lockTask = (trx: Executor, deps: Pick<Deps, 'db'>, orgId: string, id: string) =>
  forUpdate(trx.selectFrom('tasks').selectAll().where('org_id', '=', orgId).where('id', '=', id), deps.db.dialect).executeTakeFirst();

/**
 * lockTask and findTaskType(…, 'share') in one statement, for the start of a transition: the task
 * row FOR UPDATE and its type's row FOR SHARE on PostgreSQL, the same locks as the two reads.
 * The type goes into the transaction's memo, so the transition's own findTaskType costs nothing.
 */
export async function lockTaskWithType(trx: Executor, deps: Pick<Deps, 'db'>, orgId: string, id: string): Promise<TaskRow | undefined> {
  const { rows } = await (deps.db.dialect === 'postgres' ? taskWithTypeLocked : taskWithType)(trx, orgId, id);
  if (!rows[0]) return undefined;
  const { task, type } = splitType(rows[0]);
  rememberTaskType(trx, type, 'share');
  return task;
}

const taskWithTypeQuery = (locked: boolean) =>
  staticQuery((db, orgId: string, id: string) => {
    const q = db
      .selectFrom('tasks')
      .innerJoin('task_types as tt', (j) => j.onRef('tt.id', '=', 'tasks.type_id').onRef('tt.org_id', '=', 'tasks.org_id'))
      .selectAll('tasks')
      .select(TYPE_COLUMNS)
      .where('tasks.org_id', '=', orgId)
      .where('tasks.id', '=', id);
    return locked ? q.forUpdate('tasks').forShare('tt') : q;
  });
const taskWithType = taskWithTypeQuery(false);
const taskWithTypeLocked = taskWithTypeQuery(true);

// The task type's columns beside a task's, prefixed (both tables have id, version, created_at…).
const TYPE_COLUMNS = [
  'tt.key as tt_key',
  'tt.label_fr as tt_label_fr',
  'tt.label_en as tt_label_en',
  'tt.prefix as tt_prefix',
  'tt.billing as tt_billing',
  'tt.workflow as tt_workflow',
  'tt.created_at as tt_created_at',
  'tt.updated_at as tt_updated_at',
  'tt.version as tt_version',
] as const;

type WithType<R> = R & {
  tt_key: string;
  tt_label_fr: string;
  tt_label_en: string;
  tt_prefix: string;
  tt_billing: number;
  tt_workflow: string;
  tt_created_at: string;
  tt_updated_at: string;
  tt_version: number;
};

// Field by field, not by rest destructuring: V8 makes `{ a, ...rest }` slow, and this runs on every
// transition (3% of its CPU, issue 10). A column added to TasksTable fails to compile here.
function splitType(row: WithType<TaskRow>): { task: TaskRow; type: TaskType } {
  const task: TaskRow = {
    id: row.id,
    org_id: row.org_id,
    number: row.number,
    type_id: row.type_id,
    status: row.status,
    title: row.title,
    description: row.description,
    client_id: row.client_id,
    parent_id: row.parent_id,
    scheduled_start: row.scheduled_start,
    scheduled_end: row.scheduled_end,
    site_address: row.site_address,
    status_changed_at: row.status_changed_at,
    completed_at: row.completed_at,
    created_by: row.created_by,
    updated_by: row.updated_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
    version: row.version,
  };
  const type = toTaskType({
    id: row.type_id,
    org_id: row.org_id,
    key: row.tt_key,
    label_fr: row.tt_label_fr,
    label_en: row.tt_label_en,
    prefix: row.tt_prefix,
    billing: row.tt_billing,
    workflow: row.tt_workflow,
    created_at: row.tt_created_at,
    updated_at: row.tt_updated_at,
    version: row.tt_version,
  });
  return { task, type };
}

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
    assigneesOf(
      db,
      orgId,
      rows.map((r) => r.id),
    ),
    clientNamesOf(
      db,
      orgId,
      rows.map((r) => r.client_id),
    ),
  ]);
  return rows.map((r) => toTaskDto(r, types.get(r.type_id)!, assignees.get(r.id) ?? [], r.client_id ? clients.get(r.client_id) : undefined));
}

// The task's answer: its row, type, client name and assignees (one row per assignee), built once.
const taskAnswer = staticQuery((db, orgId: string, id: string) =>
  db
    .selectFrom('tasks')
    .innerJoin('task_types as tt', (j) => j.onRef('tt.id', '=', 'tasks.type_id').onRef('tt.org_id', '=', 'tasks.org_id'))
    .leftJoin('clients as c', (j) => j.onRef('c.id', '=', 'tasks.client_id').onRef('c.org_id', '=', 'tasks.org_id'))
    .leftJoin('task_assignees as a', (j) => j.onRef('a.task_id', '=', 'tasks.id').onRef('a.org_id', '=', 'tasks.org_id'))
    .selectAll('tasks')
    .select(TYPE_COLUMNS)
    .select(['c.name as client_name', 'a.user_id as assignee_id'])
    .where('tasks.org_id', '=', orgId)
    .where('tasks.id', '=', id)
    .orderBy('a.user_id'),
);

/**
 * One task as the API shows it, in one query: the task with its type and client name, one row
 * per assignee (a task has a few; one round trip fewer on every transition's answer).
 */
export async function loadTaskDto(db: Executor, orgId: string, id: string): Promise<TaskDto | undefined> {
  const { rows } = await taskAnswer(db, orgId, id);
  if (rows.length === 0) return undefined;
  const { task, type } = splitType(rows[0]);
  const assignees = rows.flatMap((r) => (r.assignee_id === null ? [] : [r.assignee_id]));
  return toTaskDto(task, type, assignees, rows[0].client_name ?? undefined);
}
