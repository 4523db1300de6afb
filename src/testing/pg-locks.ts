import { sql, type Kysely } from 'kysely';
import type { Database, Executor } from '../db/index.ts';

/** The PostgreSQL session a transaction runs on. */
export async function backendPid(trx: Executor): Promise<number> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
  return rows[0].pid;
}

/**
 * Waits until `count` PostgreSQL sessions wait on a lock held by session `pid`, directly or
 * behind another waiter, or until `stop()` says there is no need. Lets a test hold a
 * transaction open exactly until the concurrent requests it races have all reached it.
 */
export async function waitForBlocked(db: Kysely<Database>, pid: number, count: number, stop: () => boolean = () => false): Promise<void> {
  for (let i = 0; i < 1000 && !stop(); i++) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity a
      where ${pid} = any(pg_blocking_pids(a.pid))
         or exists (select 1 from pg_stat_activity b where b.pid = any(pg_blocking_pids(a.pid)) and ${pid} = any(pg_blocking_pids(b.pid)))`.execute(db);
    if (rows[0].n >= count) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!stop()) throw new Error(`fewer than ${count} sessions ever waited on the lock`);
}
