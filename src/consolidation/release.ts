import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import type { TaskRow } from '../tasks/index.ts';

/**
 * The reverse of consolidating into `target` (an invoice that was credited): every active
 * consolidation into it waits again as pending for the client, its copies leave the target, and
 * tasks it had adopted as sub-tasks get their own parent back. The next billing task created for
 * the client sweeps the content in. A few set-based statements, whatever the number of sources.
 * MUST run inside a transaction, on the locked target.
 */
export async function releaseToPending(trx: Executor, deps: Deps, target: TaskRow): Promise<number> {
  const orgId = target.org_id;
  const now = deps.clock.now().toISOString();
  // Back to pending first, still naming the target: the database lets a consolidated task leave
  // its parent only in that state (migration 0009); the target is forgotten last.
  const res = await trx
    .updateTable('consolidations')
    .set({ state: 'pending', client_id: sql<string>`coalesce(client_id, ${target.client_id})` })
    .where('org_id', '=', orgId)
    .where('target_task_id', '=', target.id)
    .where('state', '=', 'active')
    .executeTakeFirst();
  const released = (qb: Executor) =>
    qb.selectFrom('consolidations').where('org_id', '=', orgId).where('target_task_id', '=', target.id).where('state', '=', 'pending');
  await trx
    .updateTable('tasks')
    .set((eb) => ({ parent_id: null, version: eb('version', '+', 1), updated_at: now }))
    .where('org_id', '=', orgId)
    .where('parent_id', '=', target.id)
    .where('id', 'in', released(trx).select('source_task_id').where('reparented', '=', 1))
    .execute();
  for (const table of ['task_lines', 'attachments', 'notes'] as const) {
    await trx.deleteFrom(table).where('org_id', '=', orgId).where('task_id', '=', target.id).where('consolidation_id', 'is not', null).execute();
  }
  await trx
    .updateTable('consolidations')
    .set({ target_task_id: null, reparented: 0 })
    .where('org_id', '=', orgId)
    .where('target_task_id', '=', target.id)
    .where('state', '=', 'pending')
    .execute();
  return Number(res.numUpdatedRows);
}
