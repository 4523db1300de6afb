import { sql } from 'kysely';
import { requireRole, type Principal } from '../accounts/principal.ts';
import type { Deps } from '../deps.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { notFound } from '../shared/errors.ts';
import { isIdCursor, splitPage } from '../shared/paging.ts';
import { toLineDto } from '../task-content/line-store.ts';
import { listTaskTypes } from '../task-types/index.ts';

// A literal: the index of pending consolidations holds only those (migration 0018).
const PENDING = sql.lit<'pending'>('pending');

/** Completed work waiting for the client's next invoice task (pending consolidations). */
export async function unbilledForClient(deps: Deps, p: Principal, clientId: string, limit: number, cursor?: string) {
  requireRole(p, 'admin', 'dispatcher');
  const db = deps.db.kysely;
  const client = await db.selectFrom('clients').select('id').where('org_id', '=', p.orgId).where('id', '=', clientId).executeTakeFirst();
  if (!client) throw notFound('client', clientId);
  const after = decodeCursor(cursor, isIdCursor);
  let q = db
    .selectFrom('consolidations as c')
    .innerJoin('tasks as t', (j) => j.onRef('t.id', '=', 'c.source_task_id').onRef('t.org_id', '=', 'c.org_id'))
    .select(['c.id as cid', 't.id', 't.number', 't.type_id', 't.title', 't.completed_at'])
    .where('c.org_id', '=', p.orgId)
    .where('c.client_id', '=', clientId)
    .where('c.state', '=', PENDING);
  if (after) q = q.where('c.id', '>', after.id);
  const rows = await q
    .orderBy('c.id')
    .limit(limit + 1)
    .execute();
  const { page, nextCursor } = splitPage(rows, limit, (r) => ({ id: r.cid }));
  const types = new Map((await listTaskTypes(db, p.orgId)).map((t) => [t.id, t]));
  const lines = page.length
    ? await db
        .selectFrom('task_lines')
        .selectAll()
        .where('org_id', '=', p.orgId)
        .where(
          'task_id',
          'in',
          page.map((r) => r.id),
        )
        .orderBy('position')
        .execute()
    : [];
  const total = await db
    .selectFrom('consolidations as c')
    .innerJoin('task_lines as l', (j) => j.onRef('l.task_id', '=', 'c.source_task_id').onRef('l.org_id', '=', 'c.org_id'))
    .select((eb) => eb.fn.sum<number>('l.amount_cents').as('total'))
    .where('c.org_id', '=', p.orgId)
    .where('c.client_id', '=', clientId)
    .where('c.state', '=', PENDING)
    .executeTakeFirst();
  return {
    items: page.map((r) => {
      const mine = lines.filter((l) => l.task_id === r.id);
      return {
        consolidationId: r.cid,
        task: { id: r.id, displayNumber: `${types.get(r.type_id)?.prefix ?? ''}-${r.number}`, title: r.title, completedAt: r.completed_at },
        subtotalCents: mine.reduce((s, l) => s + Number(l.amount_cents), 0),
        lines: mine.map(toLineDto),
      };
    }),
    subtotalCents: Number(total?.total ?? 0),
    nextCursor,
  };
}
