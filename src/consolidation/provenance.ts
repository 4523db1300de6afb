import type { Executor } from '../db/index.ts';
import type { Provenance } from '../db/schema.ts';
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
  const people = await trx
    .selectFrom('task_assignees as a')
    .innerJoin('users as u', (j) => j.onRef('u.id', '=', 'a.user_id').onRef('u.org_id', '=', 'a.org_id'))
    .select(['u.id', 'u.name'])
    .where('a.org_id', '=', source.org_id)
    .where('a.task_id', '=', source.id)
    .orderBy('u.name')
    .execute();
  return {
    taskId: source.id,
    number: `${prefix}-${source.number}`,
    title: source.title,
    completedAt: source.completed_at,
    assignees: JSON.stringify(people),
  };
}

type ProvenanceRow = { [K in keyof Provenance]: string | null } & { id: string };

/** Provenance for the copy of `row` made by consolidation `consolidationId`. */
export function provenanceOfCopy(row: ProvenanceRow, origin: Origin, consolidationId: string) {
  const own = row.origin_task_id === null;
  return {
    consolidation_id: consolidationId,
    source_id: row.id,
    origin_id: own ? row.id : row.origin_id,
    origin_task_id: own ? origin.taskId : row.origin_task_id,
    origin_task_number: own ? origin.number : row.origin_task_number,
    origin_task_title: own ? origin.title : row.origin_task_title,
    origin_completed_at: own ? origin.completedAt : row.origin_completed_at,
    origin_assignees: own ? origin.assignees : row.origin_assignees,
  };
}

/** Copies keep their origin groups together: own content first, then each origin in first-seen order. */
export function groupByOrigin<T extends { origin_task_id: string | null }>(rows: T[]): T[] {
  const order = new Map<string | null, number>();
  for (const r of rows) if (!order.has(r.origin_task_id)) order.set(r.origin_task_id, r.origin_task_id === null ? -1 : order.size);
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => order.get(a.r.origin_task_id)! - order.get(b.r.origin_task_id)! || a.i - b.i)
    .map((x) => x.r);
}
