// `node --cpu-prof --import tsx bench/profile-loop.ts [sqlite|postgres] [n] [plain|complete]`:
// n plain transitions, or n consolidating completions (5 lines, 2 attachments, spread over 20
// main tasks, or PROFILE_MAINS), through the app in process (app.inject, 10 in flight), for a CPU profile of the
// request path without the load generator in the same profile. Prints the process CPU spent in
// the loop (not the set-up), the rest of the machine's (PostgreSQL's, on that store) and, on PostgreSQL, the WAL
// written per request.
// PROFILE_ANALYZE=1: the tables analyzed before the loop, as `chantier serve`'s worker keeps them.
// Not a benchmark: rates come from `npm run bench`.
import { sql } from 'kysely';
import { testContext, type StoreName } from '../src/testing/harness.ts';
import { task, world, type World } from '../src/consolidation/testkit.ts';
import { projects } from './completion-kit.ts';
import { readFileSync } from 'node:fs';
import { analyzeStaleTables } from '../src/housekeeping/statistics.ts';
import { inParallel } from './util.ts';

/** CPU time the whole machine spent busy (user, nice, system, irq, softirq), from /proc/stat, in ms. */
function machineBusyMs(): number {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + irq + softirq) * 1000) / 100;
}

const store = (process.argv[2] ?? 'sqlite') as StoreName;
const n = Number(process.argv[3] ?? 5000);
const mode = process.argv[4] ?? 'plain';
const ctx = await testContext(store);
try {
  let w: World;
  let next: (i: number) => { id: string; to: string };
  if (mode === 'complete') {
    const made = await projects(ctx, n, Number(process.env.PROFILE_MAINS ?? 20));
    w = made.w;
    const { subs } = made;
    next = (i) => ({ id: subs[i], to: 'completed' });
  } else {
    w = await world(ctx);
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push((await task(w, { title: `T${i}`, status: 'in_progress' })).id);
    const status = new Map(ids.map((id) => [id, 'in_progress']));
    next = (i) => {
      const id = ids[i % ids.length];
      const to = status.get(id) === 'in_progress' ? 'scheduled' : 'in_progress';
      status.set(id, to);
      return { id, to };
    };
  }
  if (process.env.PROFILE_ANALYZE) {
    // As `chantier serve`'s worker does every minute (housekeeping/statistics.ts); the counts it reads lag a second or so.
    await new Promise((r) => setTimeout(r, 1500));
    console.log(`analyzed: ${(await analyzeStaleTables(ctx.deps)).join(', ')}`);
  }
  // PostgreSQL: the WAL written meanwhile, per request (the database's own work, unlike CPU time not swayed by the machine's load).
  const walAt = async () =>
    store === 'postgres'
      ? BigInt((await sql<{ lsn: string }>`select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text as lsn`.execute(ctx.deps.db.kysely)).rows[0].lsn)
      : 0n;
  const wal0 = await walAt();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const busy0 = machineBusyMs();
  await inParallel(
    Array.from({ length: n }, (_, i) => i),
    10,
    async (i) => {
      const { id, to } = next(i);
      const r = await ctx.call('POST', `/api/v1/tasks/${id}/transitions`, w.org.token, { to });
      if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    },
  );
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const others = machineBusyMs() - busy0 - cpuMs;
  console.log(
    `${store} ${mode}: ${n} in ${(performance.now() - t0).toFixed(0)} ms, CPU ${cpuMs.toFixed(0)} ms (${((cpuMs * 1000) / n).toFixed(0)} µs each)` +
      `; the rest of the machine (the database server on PostgreSQL) ${((others * 1000) / n).toFixed(0)} µs each` +
      (store === 'postgres' ? `; WAL ${(Number((await walAt()) - wal0) / n).toFixed(0)} bytes each` : ''),
  );
} finally {
  await ctx.close();
}
