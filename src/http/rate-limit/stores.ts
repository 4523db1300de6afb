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
  /** Counts one request for `key` (limit `max`); returns the count in the current window and the ms left in it. */
  count(key: string, windowMs: number, max?: number): Promise<Counted>;
}

/** Requests a process may count locally before it adds them to the shared table. */
export const LOCAL_BATCH = 100;
/** How old the shared count a process goes by may be, at most (ms). */
export const LOCAL_SYNC_MS = 1_000;

/**
 * PostgreSQL: one row per key in the UNLOGGED table `rate_limits`, shared by every server
 * process. An upsert on every request was one of the 11 round trips of a plain transition
 * (bench/sql-trace.ts), so each process counts in memory and adds its count to the row (one atomic upsert, which also reads the
 * total) every LOCAL_BATCH requests or LOCAL_SYNC_MS, whichever first — and on every request
 * once its estimate (the last total read + its own count since) reaches half the limit. So the
 * limit holds exactly for one process; with P processes a key may get past it by at most
 * (P - 1) × min(LOCAL_BATCH, limit / 2) requests in a window, and a process's unsent count
 * (under LOCAL_BATCH) is lost when it stops. Windows that are over are swept now and then.
 */
export function tableCounters(db: Db, clock: Clock): CounterStore {
  let lastSweep = 0;
  // Per key: the total the table gave at the last sync, what this process counted since, and the
  // window's end. Invalidated by the window's end (then the next request syncs) and by the age
  // of the sync (LOCAL_SYNC_MS); entries of ended windows are swept with the table.
  type Window = { total: number; unsent: number; resetAt: number; syncedAt: number };
  const local = new Map<string, Window>();

  /** Adds this process's unsent count (this request included) to the row; reads back the total. */
  async function sync(key: string, w: Window, windowMs: number, now: Date): Promise<Counted> {
    const add = w.unsent + 1;
    // Requests arriving during the round trip count towards the next sync, not this one.
    w.unsent = 0;
    w.syncedAt = now.getTime();
    const iso = now.toISOString();
    const resetAt = new Date(now.getTime() + windowMs).toISOString();
    const row = await db.kysely
      .insertInto('rate_limits')
      .values({ key, count: add, reset_at: resetAt })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          count: eb
            .case()
            .when('rate_limits.reset_at', '<=', iso)
            .then(add)
            .else(eb('rate_limits.count', '+', add))
            .end(),
          reset_at: eb.case().when('rate_limits.reset_at', '<=', iso).then(resetAt).else(eb.ref('rate_limits.reset_at')).end(),
        })),
      )
      .returning(['count', 'reset_at'])
      .executeTakeFirstOrThrow();
    const total = Number(row.count);
    const end = Date.parse(row.reset_at);
    // Two syncs of one key may answer out of order: keep the later window's larger total.
    if (end > w.resetAt || total > w.total) Object.assign(w, { total: end > w.resetAt ? total : Math.max(total, w.total), resetAt: end });
    return { current: total + w.unsent, ttl: Math.max(0, end - now.getTime()) };
  }

  return {
    async count(key, windowMs, max = Infinity) {
      const now = clock.now();
      const t = now.getTime();
      if (t - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = t;
        for (const [k, w] of local) if (w.resetAt <= t) local.delete(k);
        await db.kysely.deleteFrom('rate_limits').where('reset_at', '<=', now.toISOString()).execute();
      }
      let w = local.get(key);
      if (!w || w.resetAt <= t) {
        // A new window: what this process counted in the one that ended is not carried over.
        local.set(key, (w = { total: 0, unsent: 0, resetAt: 0, syncedAt: t }));
        return sync(key, w, windowMs, now);
      }
      const estimate = w.total + w.unsent + 1;
      if (w.unsent + 1 >= LOCAL_BATCH || t - w.syncedAt >= LOCAL_SYNC_MS || estimate >= max / 2) return sync(key, w, windowMs, now);
      w.unsent += 1;
      return { current: estimate, ttl: w.resetAt - t };
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
    incr(key: string, done: Done, timeWindow: number, max: number): void {
      counters.count(key, timeWindow, max).then(
        (r) => done(null, r),
        (err: Error) => done(err),
      );
    }
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
