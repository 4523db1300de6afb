import { sql } from 'kysely';
import { canSeeAllTasks, type Principal } from '../accounts/principal.ts';
import type { Executor } from '../db/index.ts';
import { notFound } from '../shared/errors.ts';

/**
 * A technician sees a task when assigned to it or to one of its ancestors (a main task's
 * sub-tasks come with it). Anyone else in the organization sees every task.
 */
export async function canSeeTask(db: Executor, p: Principal, taskId: string): Promise<boolean> {
  if (canSeeAllTasks(p)) return true;
  const { rows } = await sql<{ ok: number }>`
    with recursive chain(id, parent_id, depth) as (
      select id, parent_id, 0 from tasks where org_id = ${p.orgId} and id = ${taskId}
      union all
      select t.id, t.parent_id, c.depth + 1 from tasks t join chain c on t.id = c.parent_id
      where t.org_id = ${p.orgId} and c.depth < 1000
    )
    select 1 as ok from task_assignees a join chain c on a.task_id = c.id
    where a.org_id = ${p.orgId} and a.user_id = ${p.userId}
    limit 1`.execute(db);
  return rows.length > 0;
}

/** Guard: the task exists in the caller's organization and the caller may see it (else 404). */
export async function assertCanSeeTask(db: Executor, p: Principal, taskId: string): Promise<void> {
  if (!(await canSeeTask(db, p, taskId))) throw notFound('task', taskId);
}

/** SQL for the ids of the tasks a technician sees, for list filters. */
export function visibleTaskIds(p: Principal) {
  return sql<{ id: string }>`(
    with recursive vis(id) as (
      select task_id from task_assignees where org_id = ${p.orgId} and user_id = ${p.userId}
      union
      select t.id from tasks t join vis on t.parent_id = vis.id where t.org_id = ${p.orgId}
    ) select id from vis)`;
}
