import { sql } from 'kysely';
import { staticQuery, type Dialect, type Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { taskRowOf, type TaskRow } from '../tasks/index.ts';

/** What a source task holds (read under its row lock): how many lines and notes, and its attachments' names. */
export interface SourceContent {
  lines: number;
  /** Of its lines, those it received from its own sub-tasks (copies: they have an origin). */
  receivedLines: number;
  notes: number;
  /** Its attachments by id, with what their copies are named from (the rule's pattern). */
  files: FileToName[];
}

export interface FileToName {
  file_name: string;
  display_name: string | null;
  origin_task_id: string | null;
  origin_task_number: string | null;
  origin_task_title: string | null;
}

/** A task about to be consolidated: its row, its live consolidation if any, its content, its people. */
export interface ConsolidationSource {
  task: TaskRow;
  live: { id: string; targetTaskId: string | null } | undefined;
  content: SourceContent;
  /** Its assignees, JSON [{id, name}] by name: the provenance of its own content (provenance.ts). */
  assignees: string;
  /** Its main task, locked in the same statement, when asked for (`parentLock`) and the task has one. */
  parent?: TaskRow;
}

/**
 * How the source's main task is locked with it. 'share' (PostgreSQL FOR SHARE) is enough to copy
 * content in: closing or editing the main task (FOR UPDATE, or an UPDATE) still waits for the
 * completions in flight, and one waiting for a close sees it closed — yet completions under one
 * main task run side by side, queueing only on the line counter at their tail
 * (takeLinePositions). 'update' when the completion may go on to complete the main task: then
 * two last siblings must not each miss the other's completion.
 */
export type ParentLock = 'share' | 'update';

/**
 * The task row locked (PostgreSQL FOR UPDATE OF tasks; SQLite has one writer), with its live
 * (active or pending) consolidation, the size of its content, its attachments' names and its
 * assignees, in one statement: on every completion this was seven. They hold until the
 * commit: a line, note or file is added to or removed from a task only under its row lock
 * (task-content/guard.ts).
 * On PostgreSQL, a caller that waited for the lock reads them as they were before the wait: a
 * completion never waits (its transition holds the lock already); the pending sweep copies only
 * a consolidation still pending after the wait, and the content can change only through a
 * reopen, which retracts it. Each copy also checks how many rows it copied (copy-content.ts).
 * With `parentLock`, the task's main task is read and locked in the same statement (after the
 * task, as a separate read would): a completion into its main task saves a round trip. On
 * PostgreSQL a lock on it that waited returns the main task as committed, so a close that
 * committed meanwhile is seen (openParent). A task without a main task is then read by the plain
 * statement.
 * MUST run inside the transaction that consolidates the task.
 */
export async function lockSource(
  trx: Executor,
  deps: Pick<Deps, 'db'>,
  orgId: string,
  id: string,
  parentLock?: ParentLock,
): Promise<ConsolidationSource | undefined> {
  if (parentLock) {
    const row = (await withParentQueries[deps.db.dialect][parentLock](trx, orgId, id)).rows[0];
    // The p_ columns are selected from a list (sourceQuery), which Kysely's row type does not follow.
    if (row) return { ...toSource(row), parent: parentOf(row as unknown as ParentColumns) };
  }
  const row = (await sourceQueries[deps.db.dialect](trx, orgId, id)).rows[0];
  return row ? toSource(row) : undefined;
}

type SourceRow = TaskRow & {
  live_id: string | null;
  live_target_id: string | null;
  line_count: number | null;
  received_line_count: number | null;
  note_count: number | null;
  files: unknown;
  assignees: unknown;
};

function toSource(row: SourceRow): ConsolidationSource {
  const { live_id, live_target_id, line_count, received_line_count, note_count, files, assignees } = row;
  return {
    task: taskRowOf(row),
    live: live_id ? { id: live_id, targetTaskId: live_target_id } : undefined,
    content: {
      lines: Number(line_count),
      receivedLines: Number(received_line_count),
      notes: Number(note_count),
      files: (parsed(files) as FileRow[]).map(([file_name, display_name, origin_task_id, origin_task_number, origin_task_title]) => ({
        file_name,
        display_name,
        origin_task_id,
        origin_task_number,
        origin_task_title,
      })),
    },
    // Written as JSON.stringify writes it, whatever the store's JSON looks like.
    assignees: JSON.stringify(parsed(assignees)),
  };
}

const TASK_COLUMNS = Object.keys(taskRowOf({} as TaskRow)) as (keyof TaskRow)[];

/** The main task's columns, prefixed `p_` beside the task's own. */
type ParentColumns = { [K in keyof TaskRow as `p_${K}`]: TaskRow[K] };

const parentOf = (r: ParentColumns): TaskRow => Object.fromEntries(TASK_COLUMNS.map((c) => [c, r[`p_${c}`]])) as unknown as TaskRow;

// PostgreSQL's driver hands JSON over parsed, SQLite as text.
const parsed = (json: unknown) => (typeof json === 'string' ? JSON.parse(json) : json);

type FileRow = [string, string | null, string | null, string | null, string | null];

/** The task's attachments by id, as a JSON array of FileRow: each store has its own JSON aggregate. */
const filesJson = (dialect: Dialect) => {
  const files = sql`from attachments f where f.org_id = tasks.org_id and f.task_id = tasks.id`;
  const row = sql`f.file_name, f.display_name, f.origin_task_id, f.origin_task_number, f.origin_task_title`;
  return dialect === 'postgres'
    ? sql<unknown>`(select coalesce(json_agg(json_build_array(${row}) order by f.id), '[]') ${files})`
    : sql<unknown>`(select json_group_array(json_array(${row}) order by f.id) ${files})`;
};

/** The task's assignees as a JSON array of {id, name}, by name: each store has its own JSON aggregate. */
const assigneesJson = (dialect: Dialect) => {
  const people = sql`from task_assignees a inner join users u on u.id = a.user_id and u.org_id = a.org_id
    where a.org_id = tasks.org_id and a.task_id = tasks.id`;
  return dialect === 'postgres'
    ? sql<unknown>`(select coalesce(json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name), '[]') ${people})`
    : sql<unknown>`(select json_group_array(json_object('id', u.id, 'name', u.name) order by u.name) ${people})`;
};

/** The source query; with `parentLock`, its main task joined (inner: no row without one) and locked too. */
const sourceQuery = (dialect: Dialect, parentLock?: ParentLock) =>
  staticQuery((db, orgId: string, id: string) => {
    const q = db
      .selectFrom('tasks')
      // The state as a literal, not a parameter: only then may the planners use the partial
      // unique index consolidations_source_live_uq (state != 'retracted'); a parameter read
      // every consolidation of the organization.
      .leftJoin('consolidations as c', (j) =>
        j.onRef('c.source_task_id', '=', 'tasks.id').onRef('c.org_id', '=', 'tasks.org_id').on('c.state', '!=', sql.lit('retracted')),
      )
      .selectAll('tasks')
      .select((eb) => [
        'c.id as live_id',
        'c.target_task_id as live_target_id',
        eb
          .selectFrom('task_lines as l')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('l.org_id', '=', 'tasks.org_id')
          .whereRef('l.task_id', '=', 'tasks.id')
          .as('line_count'),
        eb
          .selectFrom('task_lines as l')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('l.org_id', '=', 'tasks.org_id')
          .whereRef('l.task_id', '=', 'tasks.id')
          .where('l.origin_task_id', 'is not', null)
          .as('received_line_count'),
        eb
          .selectFrom('notes as n')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('n.org_id', '=', 'tasks.org_id')
          .whereRef('n.task_id', '=', 'tasks.id')
          .as('note_count'),
        filesJson(dialect).as('files'),
        assigneesJson(dialect).as('assignees'),
      ])
      .where('tasks.org_id', '=', orgId)
      .where('tasks.id', '=', id);
    if (!parentLock) return dialect === 'postgres' ? q.forUpdate('tasks') : q;
    const withParent = q
      .innerJoin('tasks as p', (j) => j.onRef('p.id', '=', 'tasks.parent_id').onRef('p.org_id', '=', 'tasks.org_id'))
      .select(TASK_COLUMNS.map((c) => `p.${c} as p_${c}` as const));
    if (dialect !== 'postgres') return withParent;
    return parentLock === 'update' ? withParent.forUpdate(['tasks', 'p']) : withParent.forUpdate('tasks').forShare('p');
  });
const sourceQueries = { sqlite: sourceQuery('sqlite'), postgres: sourceQuery('postgres') };
const withParentQueries = {
  sqlite: { share: sourceQuery('sqlite', 'share'), update: sourceQuery('sqlite', 'update') },
  postgres: { share: sourceQuery('postgres', 'share'), update: sourceQuery('postgres', 'update') },
};
