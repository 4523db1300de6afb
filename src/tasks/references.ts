import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import { invalid } from '../shared/errors.ts';

/** The ids a task refers to must exist in the same organization; another org's look missing. */
export async function checkClient(db: Executor, orgId: string, clientId: string): Promise<void> {
  const c = await db.selectFrom('clients').select('id').where('org_id', '=', orgId).where('id', '=', clientId).executeTakeFirst();
  if (!c) throw invalid('client_not_found', 'no such client', { field: 'clientId', id: clientId });
}

export async function checkAssignees(db: Executor, orgId: string, userIds: string[]): Promise<string[]> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return unique;
  const found = await db.selectFrom('users').select('id').where('org_id', '=', orgId).where('active', '=', 1).where('id', 'in', unique).execute();
  const ok = new Set(found.map((u) => u.id));
  const missing = unique.filter((id) => !ok.has(id));
  if (missing.length) throw invalid('assignee_not_found', 'no such active user', { field: 'assigneeIds', ids: missing });
  return unique;
}

/**
 * The parent must be a task of the same organization, and must not be the task itself or one
 * of its descendants (which would make a cycle).
 */
export async function checkParent(db: Executor, orgId: string, parentId: string, taskId?: string): Promise<void> {
  const parent = await db.selectFrom('tasks').select('id').where('org_id', '=', orgId).where('id', '=', parentId).executeTakeFirst();
  if (!parent) throw invalid('parent_not_found', 'no such parent task', { field: 'parentId', id: parentId });
  if (!taskId) return;
  if (parentId === taskId) throw invalid('parent_cycle', 'a task cannot be its own parent', { field: 'parentId' });
  const { rows } = await sql<{ id: string }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from tasks where org_id = ${orgId} and id = ${parentId}
      union all
      select t.id, t.parent_id, u.depth + 1 from tasks t join up u on t.id = u.parent_id
      where t.org_id = ${orgId} and u.depth < 10000
    ) select id from up where id = ${taskId} limit 1`.execute(db);
  if (rows.length) {
    throw invalid('parent_cycle', 'the parent is a sub-task of this task; that would make a cycle', { field: 'parentId' });
  }
}

export async function replaceAssignees(db: Executor, orgId: string, taskId: string, userIds: string[]): Promise<void> {
  await db.deleteFrom('task_assignees').where('org_id', '=', orgId).where('task_id', '=', taskId).execute();
  if (userIds.length) {
    await db
      .insertInto('task_assignees')
      .values(userIds.map((user_id) => ({ org_id: orgId, task_id: taskId, user_id })))
      .execute();
  }
}
