import { staticQuery, type Executor } from '../db/index.ts';
import type { TaskRow } from '../tasks/index.ts';

/** Where a piece of content was first entered: its task, number, title, completion, people. */
export interface Origin {
  taskId: string;
  number: string;
  title: string;
  completedAt: string | null;
  assignees: string; // JSON [{id, name}]
}

/** The origin of the source task's own content (content it received keeps its own origin). */
export async function originOf(trx: Executor, source: TaskRow, prefix: string): Promise<Origin> {
  const { rows: people } = await assignees(trx, source.org_id, source.id);
  return {
    taskId: source.id,
    number: `${prefix}-${source.number}`,
    title: source.title,
    completedAt: source.completed_at,
    assignees: JSON.stringify(people),
  };
}

// On every consolidation: built once (see staticQuery).
const assignees = staticQuery((db, orgId: string, taskId: string) =>
  db
    .selectFrom('task_assignees as a')
    .innerJoin('users as u', (j) => j.onRef('u.id', '=', 'a.user_id').onRef('u.org_id', '=', 'a.org_id'))
    .select(['u.id', 'u.name'])
    .where('a.org_id', '=', orgId)
    .where('a.task_id', '=', taskId)
    .orderBy('u.name'),
);
