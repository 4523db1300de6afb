import { sql } from 'kysely';
import { staticQuery, type Dialect, type Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import type { TaskRow } from '../tasks/index.ts';

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
}

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
 * MUST run inside the transaction that consolidates the task.
 */
export async function lockSource(trx: Executor, deps: Pick<Deps, 'db'>, orgId: string, id: string): Promise<ConsolidationSource | undefined> {
  const { rows } = await sourceQueries[deps.db.dialect](trx, orgId, id);
  const row = rows[0];
  if (!row) return undefined;
  const { live_id, live_target_id, line_count, received_line_count, note_count, files, assignees, ...task } = row;
  return {
    task,
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

const sourceQuery = (dialect: Dialect) =>
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
    return dialect === 'postgres' ? q.forUpdate('tasks') : q;
  });
const sourceQueries = { sqlite: sourceQuery('sqlite'), postgres: sourceQuery('postgres') };
