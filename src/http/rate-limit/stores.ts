import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { Db } from '../../db/index.ts';
import type { Clock } from '../../shared/clock.ts';

type Counted = { current: number; ttl: number };
type Done = (error: Error | null, result?: Counted) => void;

const SWEEP_EVERY_MS = 60_000;

/**
 * Fixed-window counters for @fastify/rate-limit. Keys carry their limit's name
 * (`api:<credential>`, `signup:<address>`), so one store serves every limit.
 */
export interface CounterStore {
  /** Counts one request for `key`; returns the count in the current window and the ms left in it. */
  count(key: string, windowMs: number): Promise<Counted>;
}

/**
 * PostgreSQL: one row per key in the UNLOGGED table `rate_limits`, counted by an atomic upsert,
 * so every server process shares the same counts. Windows that are over are swept now and then.
 */
export function tableCounters(db: Db, clock: Clock): CounterStore {
  let lastSweep = 0;
  return {
    async count(key, windowMs) {
      const now = clock.now();
      const iso = now.toISOString();
      if (now.getTime() - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = now.getTime();
        await db.kysely.deleteFrom('rate_limits').where('reset_at', '<=', iso).execute();
      }
      const resetAt = new Date(now.getTime() + windowMs).toISOString();
      const row = await db.kysely
        .insertInto('rate_limits')
        .values({ key, count: 1, reset_at: resetAt })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            count: eb.case().when('rate_limits.reset_at', '<=', iso).then(1).else(eb('rate_limits.count', '+', 1)).end(),
            reset_at: eb.case().when('rate_limits.reset_at', '<=', iso).then(resetAt).else(eb.ref('rate_limits.reset_at')).end(),
          })),
        )
        .returning(['count', 'reset_at'])
        .executeTakeFirstOrThrow();
      return { current: Number(row.count), ttl: Math.max(0, Date.parse(row.reset_at) - now.getTime()) };
    },
  };
}

/** SQLite serves one process: counts in memory, no write per request. */
export function memoryCounters(clock: Clock): CounterStore {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let lastSweep = 0;
  return {
    async count(key, windowMs) {
      const now = clock.now().getTime();
      if (now - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = now;
        for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
      }
      let w = windows.get(key);
      if (!w || w.resetAt <= now) windows.set(key, (w = { count: 0, resetAt: now + windowMs }));
      w.count += 1;
      return { current: w.count, ttl: w.resetAt - now };
    },
  };
}

/** The plugin's store interface over a CounterStore (it builds the store with `new`). */
export function pluginStore(counters: CounterStore) {
  return class implements FastifyRateLimitStore {
    incr(key: string, done: Done, timeWindow: number): void {
      counters.count(key, timeWindow).then((r) => done(null, r), (err: Error) => done(err));
    }
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
