import type { Db } from '../db/index.ts';
import type { OutboxRow } from './types.ts';

export type Settlement = { state: 'sent' } | { state: 'pending'; error: string; nextAttemptAt: Date } | { state: 'failed'; error: string };

/**
 * Records how an attempt ended. Guarded by the claim (worker, attempt number): a worker whose
 * lease expired and whose row another worker took again changes nothing. Returns false then.
 */
export async function settle(db: Db, row: OutboxRow, now: Date, s: Settlement): Promise<boolean> {
  const at = now.toISOString();
  const res = await db.kysely
    .updateTable('outbox')
    .set({
      state: s.state,
      updated_at: at,
      locked_by: null,
      locked_until: null,
      ...(s.state === 'sent' ? { sent_at: at, last_error: null } : { last_error: s.error.slice(0, 2000) }),
      ...(s.state === 'pending' ? { next_attempt_at: s.nextAttemptAt.toISOString() } : {}),
    })
    .where('id', '=', row.id)
    .where('state', '=', 'sending')
    .where('locked_by', '=', row.locked_by)
    .where('attempts', '=', row.attempts)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
