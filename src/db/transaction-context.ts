import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, type Transaction, type TransactionBuilder } from 'kysely';

/**
 * Told about every transaction started (through `db.kysely.transaction()`) in the async context
 * that set it — an HTTP request with an Idempotency-Key. This is how a request's outcome commits
 * in the same transaction as its work without any route or verb having to ask for it.
 */
export interface TransactionObserver<DB> {
  /** Before the work: `{ value }` to return instead of running it (work already committed), or undefined. */
  replayed(): { value: unknown } | undefined;
  /** Inside the transaction, after the work, before COMMIT. Throwing rolls the work back. */
  beforeCommit(trx: Transaction<DB>, result: unknown): Promise<void>;
  /** After COMMIT succeeded. */
  afterCommit(result: unknown): void;
}

const observers = new AsyncLocalStorage<TransactionObserver<unknown>>();

/** Runs `fn` (and everything it starts) with `observer` told about each transaction. */
export function observeTransactions<DB, T>(observer: TransactionObserver<DB>, fn: () => T): T {
  return observers.run(observer as TransactionObserver<unknown>, fn);
}

/** Kysely whose `transaction().execute()` goes through the current TransactionObserver, if any. */
export class ObservedKysely<DB> extends Kysely<DB> {
  override transaction(): TransactionBuilder<DB> {
    const builder = super.transaction();
    const execute = builder.execute.bind(builder);
    builder.execute = async <T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> => {
      const observer = observers.getStore() as TransactionObserver<DB> | undefined;
      if (!observer) return execute(work);
      const replay = observer.replayed();
      if (replay) return replay.value as T;
      const result = await execute(async (trx) => {
        const value = await work(trx);
        await observer.beforeCommit(trx, value);
        return value;
      });
      observer.afterCommit(result);
      return result;
    };
    return builder;
  }
}
