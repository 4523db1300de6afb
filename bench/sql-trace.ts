// `tsx bench/sql-trace.ts [sqlite|postgres]`: the SQL statements of one request, each with its
// time, through the app in process (app.inject): a plain transition, then a consolidating
// completion (5 lines, 2 attachments) under a main task that already holds `PRIOR` completions.
// For profiling (issue 10), not a benchmark: the times are single samples.
import type { KyselyPlugin, QueryId } from 'kysely';
import { testContext, type StoreName } from '../src/testing/harness.ts';
import { complete, move, task } from '../src/consolidation/testkit.ts';
import { consolidatingWorld } from './completion-kit.ts';

const store = (process.argv[2] ?? 'sqlite') as StoreName;
const PRIOR = Number(process.env.TRACE_PRIOR ?? 20);

const ctx = await testContext(store);
try {
  const { w, subtask } = await consolidatingWorld(ctx);
  const main = await task(w, { title: 'Projet' });
  for (let i = 0; i < PRIOR; i++) await complete(w, await subtask(main.id));
  const plain = await task(w, { title: 'Simple', status: 'in_progress' });
  const next = await subtask(main.id);

  // Every statement from here on: its SQL and the time from compile to result.
  const seen: { sql: string; ms: number }[] = [];
  const started = new WeakMap<QueryId, { sql: string; t0: number }>();
  const base = ctx.deps.db.kysely;
  const recorder: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      started.set(queryId, { sql: base.getExecutor().compileQuery(node, queryId).sql, t0: performance.now() });
      return node;
    },
    async transformResult({ result, queryId }) {
      const s = started.get(queryId);
      if (s) seen.push({ sql: s.sql, ms: performance.now() - s.t0 });
      return result;
    },
  };
  ctx.deps.db.kysely = base.withPlugin(recorder);
  const trace = async (title: string, run: () => Promise<unknown>) => {
    await run(); // warm (statement caches, JIT)
    seen.length = 0;
    const t0 = performance.now();
    await run();
    const total = performance.now() - t0;
    const sqlMs = seen.reduce((s, x) => s + x.ms, 0);
    console.log(`\n== ${store}: ${title}: ${seen.length} statements, ${sqlMs.toFixed(2)} ms in SQL of ${total.toFixed(2)} ms`);
    for (const s of seen) console.log(`${s.ms.toFixed(3).padStart(8)} ms  ${s.sql.replace(/\s+/g, ' ').slice(0, Number(process.env.TRACE_WIDTH ?? 230))}`);
  };
  let to = 'scheduled';
  await trace('plain transition (POST /tasks/:id/transitions)', async () => {
    const r = await move(w, plain.id, to);
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    to = to === 'scheduled' ? 'in_progress' : 'scheduled';
  });
  let warm = true;
  // The warm-up run completes a sub-task of its own; the traced run completes `next`.
  await trace(`consolidating completion after ${PRIOR} siblings`, async () => {
    const sub = warm ? await subtask(main.id) : next;
    warm = false;
    return complete(w, sub);
  });
} finally {
  await ctx.close();
}
