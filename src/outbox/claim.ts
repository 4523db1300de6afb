import type { Db } from '../db/index.ts';
import type { OutboxKind, OutboxRow } from './types.ts';
import { runTransaction } from '../db/transaction.ts';

export interface ClaimOptions {
  workerId: string;
  kinds: OutboxKind[];
  now: Date;
  leaseMs: number;
  limit: number;
}

/**
 * Claims up to `limit` due rows for this worker: pending rows whose time has come, and rows
 * left 'sending' by a worker whose lease expired (it died mid-send). Each claim counts as an
 * attempt, so a row that keeps killing its worker still runs out of attempts.
 * PostgreSQL: the inner SELECT … FOR UPDATE SKIP LOCKED lets concurrent workers take
 * disjoint rows. SQLite: one UPDATE … RETURNING, atomic on the single writer connection.
 */
export async function claimDue(db: Db, o: ClaimOptions): Promise<OutboxRow[]> {
  if (o.kinds.length === 0) return [];
  const now = o.now.toISOString();
  return runTransaction({ db }, async (trx) => {
    let due = trx
      .selectFrom('outbox')
      .select('id')
      .where('kind', 'in', o.kinds)
      .whereRef('attempts', '<', 'max_attempts')
      .where((eb) =>
        eb.or([eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('state', '=', 'sending'), eb('locked_until', '<', now)])]),
      )
      .orderBy('next_attempt_at')
      .limit(o.limit);
    if (db.dialect === 'postgres') due = due.forUpdate().skipLocked();
    return trx
      .updateTable('outbox')
      .set((eb) => ({
        state: 'sending',
        attempts: eb('attempts', '+', 1),
        locked_by: o.workerId,
        locked_until: new Date(o.now.getTime() + o.leaseMs).toISOString(),
        updated_at: now,
      }))
      .where('id', 'in', due)
      .returningAll()
      .execute();
  });
}

/**
 * Rows whose last attempt's lease expired with no attempt left: the worker died during the
 * final try. They are failed here, since no claim will take them again.
 */
export async function failExhaustedLeases(db: Db, now: Date): Promise<number> {
  const at = now.toISOString();
  const res = await db.kysely
    .updateTable('outbox')
    .set({
      state: 'failed',
      last_error: 'the worker stopped during the last attempt (lease expired); the message may or may not have been sent',
      locked_by: null,
      locked_until: null,
      updated_at: at,
    })
    .where('state', '=', 'sending')
    .where('locked_until', '<', at)
    .whereRef('attempts', '>=', 'max_attempts')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
