import { sql } from 'kysely';
import type { z } from 'zod';
import { canSeeAllTasks, type Principal } from '../accounts/principal.ts';
import type { Deps } from '../deps.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { notFound } from '../shared/errors.ts';
import { isIdCursor, pageOf, splitPage } from '../shared/paging.ts';
import { listTaskTypes } from '../task-types/store.ts';
import { assertCanSeeTask, visibleTaskIds } from './access.ts';
import { cursorOf, isSortCursor, sortAndSeek, whereTextMatches } from './list-filters.ts';
import type { HistoryEntrySchema, ListTasksQuery, TaskDto } from './schemas.ts';
import { findTaskRow, loadTaskDto, toTaskDtos } from './store.ts';

/** Tasks in number order (or by schedule), filtered, one page at a time (keyset pagination). */
export async function listTasks(deps: Deps, p: Principal, q: z.output<typeof ListTasksQuery>) {
  const db = deps.db.kysely;
  // A whole number: a crafted 1.5 or 1e999 must be refused, not sent to an integer column.
  const after = decodeCursor(q.cursor, isSortCursor);
  const types = await listTaskTypes(db, p.orgId);
  let query = db.selectFrom('tasks').selectAll().where('org_id', '=', p.orgId);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.typeId) query = query.where('type_id', '=', q.typeId);
  if (q.clientId) query = query.where('client_id', '=', q.clientId);
  if (q.parentId) query = query.where('parent_id', '=', q.parentId);
  if (q.topLevel === 'true') query = query.where('parent_id', 'is', null);
  if (q.topLevel === 'false') query = query.where('parent_id', 'is not', null);
  if (q.updatedSince) query = query.where('updated_at', '>=', new Date(q.updatedSince).toISOString());
  // Stored as UTC ISO text (TimestampInput): text order is time order.
  if (q.scheduledFrom) query = query.where('scheduled_start', '>=', new Date(q.scheduledFrom).toISOString());
  if (q.scheduledTo) query = query.where('scheduled_start', '<', new Date(q.scheduledTo).toISOString());
  if (q.q) query = whereTextMatches(query, q.q);
  if (q.assigneeId) {
    const assigned = db.selectFrom('task_assignees').select('task_id').where('org_id', '=', p.orgId).where('user_id', '=', q.assigneeId);
    query = query.where('id', 'in', assigned);
  }
  if (q.statusCategory) {
    const pairs = types.flatMap((t) => t.workflow.statuses.filter((s) => s.category === q.statusCategory).map((s) => [t.id, s.key] as const));
    if (pairs.length === 0) return { items: [], nextCursor: null };
    query = query.where((eb) => eb.or(pairs.map(([typeId, key]) => eb.and([eb('type_id', '=', typeId), eb('status', '=', key)]))));
  }
  if (!canSeeAllTasks(p)) query = query.where(sql<boolean>`tasks.id in ${visibleTaskIds(p)}`);
  const rows = await sortAndSeek(query, q.sort, after)
    .limit(q.limit + 1)
    .execute();
  const { page, nextCursor } = splitPage(rows, q.limit, (r) => cursorOf(r, q.sort));
  const items = await toTaskDtos(db, p.orgId, page, new Map(types.map((t) => [t.id, t])));
  return { items, nextCursor };
}

export async function getTask(deps: Deps, p: Principal, id: string): Promise<TaskDto> {
  const db = deps.db.kysely;
  const task = await loadTaskDto(db, p.orgId, id);
  if (!task) throw notFound('task', id);
  await assertCanSeeTask(db, p, id);
  return task;
}

type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export async function taskHistory(deps: Deps, p: Principal, id: string, limit: number, cursor?: string) {
  const db = deps.db.kysely;
  if (!(await findTaskRow(db, p.orgId, id))) throw notFound('task', id);
  await assertCanSeeTask(db, p, id);
  const after = decodeCursor(cursor, isIdCursor);
  let q = db.selectFrom('task_history').selectAll().where('org_id', '=', p.orgId).where('task_id', '=', id);
  if (after) q = q.where('id', '>', after.id);
  const rows = await q
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const toEntry = (r: (typeof rows)[number]): HistoryEntry => ({ id: r.id, from: r.from_status, to: r.to_status, userId: r.user_id, at: r.at });
  return pageOf(rows, limit, toEntry, (r) => ({ id: r.id }));
}
