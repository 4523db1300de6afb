import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import { forgettingOnFailure } from '../shared/after-commit.ts';
import { isTransientConflict } from './errors.ts';
import type { Db } from './open.ts';
import type { Database } from './schema.ts';

/**
 * The one way a write path opens a transaction. It
 * - runs `work` in a transaction (through `db.kysely.transaction()`, so an Idempotency-Key's
 *   outcome still commits with the work: src/db/transaction-context.ts);
 * - runs the whole transaction again when it lost a deadlock or serialization race;
 * - forgets what a failed attempt registered with `afterCommit` (src/shared/after-commit.ts);
 * - once the transaction has finally failed, makes the writes registered with `afterRollback`
 *   (a failed automation's run log), outside it, so they outlive the rollback.
 */
export async function runTransaction<T>(
  deps: { db: Pick<Db, 'kysely'>; log?: Pick<Logger, 'error'> },
  work: (trx: Transaction<Database>) => Promise<T>,
  opts: { attempts?: number } = {},
): Promise<T> {
  let records: AfterRollback[] = [];
  try {
    return await retryTransient(() => {
      records = []; // a retried attempt starts clean: only the last attempt's failure is recorded
      return pendingRecords.run(records, () => deps.db.kysely.transaction().execute(work));
    }, opts.attempts);
  } catch (err) {
    for (const write of records) {
      try {
        await write();
      } catch (writeErr) {
        // The transaction's own error is what the caller must see; this one is only logged.
        deps.log?.error({ err: writeErr, cause: err }, 'could not write a record after a rollback');
      }
    }
    throw err;
  }
}

type AfterRollback = () => Promise<void>;
const pendingRecords = new AsyncLocalStorage<AfterRollback[]>();

/**
 * Registers a write to make, outside the transaction, if the current transaction rolls back
 * (dropped when it commits). MUST be called inside `runTransaction`: a failure whose record would
 * otherwise vanish with the rollback is refused loudly instead.
 */
export function afterRollback(write: AfterRollback): void {
  const records = pendingRecords.getStore();
  if (!records) throw new Error('afterRollback() MUST be called inside runTransaction(): the record would be lost with the rollback');
  records.push(write);
}

/**
 * Runs a whole transaction again when it lost a deadlock or serialization race, at most
 * `attempts` times in all, with a short random pause between tries. `run` MUST start the
 * transaction itself (a retry inside a transaction that already failed cannot succeed).
 */
export async function retryTransient<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await forgettingOnFailure(run);
    } catch (err) {
      if (!isTransientConflict(err) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}
