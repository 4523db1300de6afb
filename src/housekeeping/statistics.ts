import { sql } from 'kysely';
import { isLockTimeout } from '../db/errors.ts';
import type { Deps } from '../deps.ts';
import { periodic, type Periodic } from '../shared/periodic.ts';

/** How often the worker looks for tables whose statistics fell behind (one catalog read). */
export const STATISTICS_INTERVAL_MS = 60_000;

/**
 * PostgreSQL plans every statement from the statistics ANALYZE keeps, and autovacuum may be off
 * or lag behind. Without them it takes `org_id = $1` to match about one row in 200, so an index
 * that starts with `org_id` alone (tasks by status, lines by consolidation) looks as good as the
 * primary key for `where org_id = $1 and id = $2`: on a fresh database it locked a task by
 * reading every task of the organization (1,811 rows in one sample), and found a new task's
 * first line position by reading all its lines (8,999). A prepared statement keeps such a plan
 * for its connection's life. Statistics taken once the organization has a few rows say
 * `org_id` is not selective, and every lookup by id takes its key from then on; ANALYZE also
 * makes the prepared statements plan again.
 *
 * So this does what autovacuum's analyze would: each table of ours with at least 50 rows
 * changed since it was last analyzed, and a tenth of its size, is analyzed again (autovacuum's
 * own default thresholds; with autovacuum on and keeping up, there is nothing left to do).
 * Several workers may run it: a table another one is analyzing is left to it. SQLite plans a
 * lookup by its unique key without statistics: nothing to do there. Answers the tables analyzed.
 */
export async function analyzeStaleTables(deps: Deps): Promise<string[]> {
  if (deps.db.dialect !== 'postgres') return [];
  const db = deps.db.kysely;
  const stale = await sql<{ name: string }>`
    select s.relname as name
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = current_schema()
      and s.n_mod_since_analyze >= 50 + 0.1 * greatest(c.reltuples, 0)
    order by s.relname`.execute(db);
  const analyzed: string[] = [];
  if (stale.rows.length === 0) return analyzed;
  await db.connection().execute(async (c) => {
    // Waits for no one: ANALYZE of a table another worker is analyzing would queue behind it.
    await sql`set lock_timeout = 50`.execute(c);
    try {
      for (const { name } of stale.rows) {
        try {
          await sql`analyze ${sql.table(name)}`.execute(c);
          analyzed.push(name);
        } catch (err) {
          if (!isLockTimeout(err)) throw err;
        }
      }
    } finally {
      await sql`reset lock_timeout`.execute(c);
    }
  });
  return analyzed;
}

/** Runs analyzeStaleTables at start and every interval; a failed round is logged and tried again later. */
export function createStatisticsKeeper(deps: Deps, o: { intervalMs?: number } = {}): Periodic {
  return periodic(deps.log, o.intervalMs ?? STATISTICS_INTERVAL_MS, 'analyze of stale tables failed', async () => {
    const tables = await analyzeStaleTables(deps);
    if (tables.length > 0) deps.log.debug({ tables }, 'analyzed tables whose statistics fell behind');
  });
}
