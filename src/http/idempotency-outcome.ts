import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import type { TransactionObserver } from '../db/transaction-context.ts';
import { conflict } from '../shared/errors.ts';

/** The Idempotency-Key a request holds, carried into every transaction it runs. */
export interface KeyHold {
  orgId: string;
  userId: string;
  key: string;
  /** This request's claim on the key: a transaction commits only while the row still names it. */
  attempt: string;
  /** What each committed transaction returned: replayed ones first, then this attempt's. */
  results: unknown[];
  /** How many of `results` were committed by an earlier attempt (returned instead of run again). */
  replayCount: number;
  /** Transactions committed or replayed so far in this attempt. */
  seen: number;
  withheld: boolean;
  /** Set once the answer is being sent: later transactions (none expected) are not the request's. */
  closed: boolean;
}

/** Field names whose (non-empty) values are secrets: never kept for replay. */
const SECRET_FIELDS = new Set(['secret', 'secrets', 'token', 'password']);

/** Whether a value (a transaction's result, an answer's JSON) holds a secret anywhere in it. */
export function holdsSecret(value: unknown, depth = 0): boolean {
  if (!value || typeof value !== 'object' || depth > 12) return false;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_FIELDS.has(k) && isFilled(v)) return true;
    if (holdsSecret(v, depth + 1)) return true;
  }
  return false;
}

const isFilled = (v: unknown) =>
  typeof v === 'string' ? v.length > 0 : v !== null && typeof v === 'object' ? Object.keys(v).length > 0 : v !== undefined && v !== null;

/** JSON that keeps Dates, BigInts (a driver's insert result) and `undefined` (transactions return rows, DTOs, results). */
export function encodeResults(results: unknown[]): string {
  return JSON.stringify(
    results.map((v) => ({ v })),
    function (this: Record<string, unknown>, k, v: unknown) {
      const raw = this[k];
      if (raw instanceof Date) return { $date: raw.toISOString() };
      return typeof v === 'bigint' ? { $bigint: v.toString() } : v;
    },
  );
}

/** A result JSON cannot hold (a cycle) is recorded as null: the work still commits once. */
function encodeSafely(results: unknown[]): string {
  try {
    return encodeResults(results);
  } catch {
    return encodeResults(results.map((r) => (isEncodable(r) ? r : null)));
  }
}

const isEncodable = (v: unknown) => {
  try {
    encodeResults([v]);
    return true;
  } catch {
    return false;
  }
};

export function decodeResults(text: string | null): unknown[] {
  if (!text) return [];
  const list = JSON.parse(text, (_k, v: unknown) => {
    if (!v || typeof v !== 'object' || Object.keys(v).length !== 1) return v;
    const o = v as { $date?: unknown; $bigint?: unknown };
    if (typeof o.$date === 'string') return new Date(o.$date);
    if (typeof o.$bigint === 'string') return BigInt(o.$bigint);
    return v;
  }) as { v?: unknown }[];
  return list.map((x) => x.v);
}

// biome-ignore lint/suspicious/noExplicitAny: any Kysely builder with `where` (select, update, delete)
export const whereKey = <Q extends { where: (...a: any[]) => Q }>(q: Q, h: Pick<KeyHold, 'orgId' | 'userId' | 'key'>): Q =>
  q.where('org_id', '=', h.orgId).where('user_id', '=', h.userId).where('key', '=', h.key);

/**
 * Records each transaction's result on the key's row INSIDE that transaction, so the key says
 * "committed" exactly when the work did: a crash after COMMIT leaves a key a retry can replay.
 * A transaction the request committed before (an earlier attempt) is not run again: its
 * recorded result is returned instead.
 */
export function keyObserver(hold: KeyHold): TransactionObserver<Database> {
  return {
    replayed() {
      if (hold.closed || hold.seen >= hold.replayCount) return undefined;
      return { value: hold.results[hold.seen++] };
    },
    async beforeCommit(trx: Transaction<Database>, result: unknown) {
      if (hold.closed) return;
      const secret = holdsSecret(result);
      const results = [...hold.results.slice(0, hold.seen), secret ? null : result];
      const res = await whereKey(
        (trx as Kysely<Database>).updateTable('idempotency_keys').set({
          state: 'committed',
          results: encodeSafely(results),
          withheld: hold.withheld || secret ? 1 : 0,
        }),
        hold,
      )
        .where('attempt', '=', hold.attempt)
        .executeTakeFirst();
      // Another attempt took the key over (this one looked dead): its work must not commit twice.
      if (Number(res.numUpdatedRows) === 0) {
        throw conflict('idempotency_request_in_progress', 'another request with this Idempotency-Key took it over');
      }
    },
    afterCommit(result: unknown) {
      if (hold.closed) return;
      if (holdsSecret(result)) hold.withheld = true;
      hold.results = [...hold.results.slice(0, hold.seen), result];
      hold.seen++;
    },
  };
}
