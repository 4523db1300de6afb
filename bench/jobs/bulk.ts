// Server-side helpers of the bulk and project-cycle scenarios: counts to check, the server's
// CPU time and memory to say where the time goes, and an invoice of N frozen lines written
// directly (for the PDF at 100,000 lines without completing 100,000 sub-tasks first).
import { sql } from 'kysely';
import type { Deps } from '../../src/deps.ts';
import { analyzeStaleTables } from '../../src/housekeeping/statistics.ts';

/** Tasks under a parent and their lines. */
export async function countUnder(deps: Deps, a: { orgId: string; parentId: string }) {
  const db = deps.db.kysely;
  const tasks = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('org_id', '=', a.orgId)
    .where('parent_id', '=', a.parentId)
    .executeTakeFirstOrThrow();
  const lines = await db
    .selectFrom('task_lines')
    .innerJoin('tasks', (j) => j.onRef('tasks.id', '=', 'task_lines.task_id').onRef('tasks.org_id', '=', 'task_lines.org_id'))
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum<number>('task_lines.amount_cents').as('cents')])
    .where('tasks.org_id', '=', a.orgId)
    .where('tasks.parent_id', '=', a.parentId)
    .executeTakeFirstOrThrow();
  return { tasks: Number(tasks.n), lines: Number(lines.n), cents: Number(lines.cents ?? 0) };
}

/** The server's CPU time so far and its memory now (resident, peak resident, heap), in MiB. */
export async function serverUsage() {
  const { user, system } = process.cpuUsage();
  const mib = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  const m = process.memoryUsage();
  return { cpuMs: (user + system) / 1000, rssMiB: mib(m.rss), maxRssMiB: mib(process.resourceUsage().maxRSS * 1024), heapMiB: mib(m.heapUsed) };
}

/**
 * On PostgreSQL, what `chantier serve`'s worker does every minute (housekeeping/statistics.ts):
 * analyze the tables that grew since their last statistics. The counts it reads reach it about a
 * second after the writes.
 */
export async function analyzeStale(deps: Deps) {
  await new Promise((r) => setTimeout(r, 1500));
  return { analyzed: await analyzeStaleTables(deps) };
}

/** On PostgreSQL, what autovacuum would have done after a bulk load (the bench's store runs with it off). */
export async function analyze(deps: Deps) {
  if (deps.db.dialect !== 'postgres') return { analyzed: false };
  for (const t of ['tasks', 'task_history', 'task_lines']) await sql`analyze ${sql.table(t)}`.execute(deps.db.kysely);
  return { analyzed: true };
}
