import { sql } from 'kysely';
import { enabledRulesColumns, knownGeneration, rememberEnabledRules } from '../automation/prefetched-rules.ts';
import { forUpdate, staticQuery, type Dialect, type Executor } from '../db/index.ts';
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

/** A task locked at the start of a transition, with what its answer needs besides the row. */
export interface LockedTask {
  task: TaskRow;
  type: TaskType;
  /**
   * The client's name and the assignee ids, read by the lock statement. Undefined when they may be
   * older than the locked row (PostgreSQL: the lock waited for another transaction that changed the
   * task, and the statement's snapshot predates it); the answer is then read again after commit.
   */
  around?: { clientName: string | undefined; assigneeIds: string[] };
}

/**
 * lockTask and findTaskType(…, 'share') in one statement, for the start of a transition: the task
 * row FOR UPDATE and its type's row FOR SHARE on PostgreSQL, the same locks as the two reads.
 * The type goes into the transaction's memo, so the transition's own findTaskType costs nothing.
 * The same statement reads the client's name and the assignees, so that a transition that changed
 * nothing but the status answers without reading the task again (issue 10), and the organization's
 * enabled rules, for the transition's rules step (rememberEnabledRules): only their generation
 * when this store already holds the rules at that generation.
 */
export async function lockTaskWithType(trx: Executor, deps: Pick<Deps, 'db'>, orgId: string, id: string): Promise<LockedTask | undefined> {
  const known = knownGeneration(deps.db, orgId);
  const { rows } = await (deps.db.dialect === 'postgres' ? taskWithTypeLocked : taskWithType)(trx, orgId, id, known);
  const row = rows[0];
  if (!row) return undefined;
  const { task, type } = splitType(row);
  rememberTaskType(trx, type, 'share');
  rememberEnabledRules(trx, deps.db, orgId, row.rules_generation, row.enabled_rules);
  // PostgreSQL, READ COMMITTED: a lock that waited returns the row as the other transaction left it,
  // but the subqueries and the join read the statement's older snapshot. Every change of a task's
  // assignees or client bumps its version under this lock (updateTask), so equal versions mean
  // they are current. (A client renamed meanwhile shows its name as of this read, as any read
  // would.) SQLite: one writer, nothing changes under the read; seen_version is the row's own.
  const current = Number(row.seen_version) === task.version;
  const around = current ? { clientName: row.client_name ?? undefined, assigneeIds: JSON.parse(row.assignee_ids) as string[] } : undefined;
  return { task, type, around };
}

// Ordered as loadTaskDto orders them (by user id); '[]' when the task has none.
const ASSIGNEE_IDS = {
  sqlite: sql<string>`(select json_group_array(a.user_id order by a.user_id) from task_assignees a where a.org_id = tasks.org_id and a.task_id = tasks.id)`,
  postgres: sql<string>`(select coalesce(json_agg(a.user_id order by a.user_id), '[]')::text from task_assignees a where a.org_id = tasks.org_id and a.task_id = tasks.id)`,
};
// PostgreSQL: the task's version in the statement's snapshot, which lockTaskWithType compares with the locked row's.
const SEEN_VERSION = sql<number>`(select s.version from tasks s where s.org_id = tasks.org_id and s.id = tasks.id)`;

const taskWithTypeQuery = (dialect: Dialect) =>
  staticQuery((db, orgId: string, id: string, knownRulesGeneration: number) => {
    const q = db
      .selectFrom('tasks')
      .innerJoin('task_types as tt', (j) => j.onRef('tt.id', '=', 'tasks.type_id').onRef('tt.org_id', '=', 'tasks.org_id'))
      .leftJoin('clients as c', (j) => j.onRef('c.id', '=', 'tasks.client_id').onRef('c.org_id', '=', 'tasks.org_id'))
      .selectAll('tasks')
      .select(TYPE_COLUMNS)
      .select(['c.name as client_name', ASSIGNEE_IDS[dialect].as('assignee_ids'), ...enabledRulesColumns(dialect, knownRulesGeneration)])
      .where('tasks.org_id', '=', orgId)
      .where('tasks.id', '=', id);
    return dialect === 'postgres' ? q.select(SEEN_VERSION.as('seen_version')).forUpdate('tasks').forShare('tt') : q.select('tasks.version as seen_version');
  });
const taskWithType = taskWithTypeQuery('sqlite');
const taskWithTypeLocked = taskWithTypeQuery('postgres');

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

// Field by field (taskRowOf for the task's), not by rest destructuring: V8 makes `{ a, ...rest }`
// slow, and this runs on every transition (3% of its CPU, issue 10).
function splitType(row: WithType<TaskRow>): { task: TaskRow; type: TaskType } {
  const task = taskRowOf(row);
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

/**
 * The task's own columns of a row that also holds others (a join, subqueries), field by field:
 * a column added to TasksTable fails to compile here.
 */
export const taskRowOf = (r: TaskRow): TaskRow => ({
  id: r.id,
  org_id: r.org_id,
  number: r.number,
  type_id: r.type_id,
  status: r.status,
  title: r.title,
  description: r.description,
  client_id: r.client_id,
  parent_id: r.parent_id,
  scheduled_start: r.scheduled_start,
  scheduled_end: r.scheduled_end,
  site_address: r.site_address,
  status_changed_at: r.status_changed_at,
  completed_at: r.completed_at,
  created_by: r.created_by,
  updated_by: r.updated_by,
  created_at: r.created_at,
  updated_at: r.updated_at,
  version: r.version,
});

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
