// `node --cpu-prof --import tsx bench/profile-loop.ts [sqlite|postgres] [n]`: n plain transitions
// through the app in process (app.inject, 10 in flight), for a CPU profile of the request path
// without the load generator in the same profile. Not a benchmark: rates come from `npm run bench`.
import { testContext, type StoreName } from '../src/testing/harness.ts';
import { task, world } from '../src/consolidation/testkit.ts';
import { inParallel } from './util.ts';

const store = (process.argv[2] ?? 'sqlite') as StoreName;
const n = Number(process.argv[3] ?? 5000);
const ctx = await testContext(store);
try {
  const w = await world(ctx);
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) ids.push((await task(w, { title: `T${i}`, status: 'in_progress' })).id);
  const status = new Map(ids.map((id) => [id, 'in_progress']));
  const t0 = performance.now();
  await inParallel(Array.from({ length: n }, (_, i) => ids[i % ids.length]), 10, async (id) => {
    const to = status.get(id) === 'in_progress' ? 'scheduled' : 'in_progress';
    status.set(id, to);
    const r = await ctx.call('POST', `/api/v1/tasks/${id}/transitions`, w.org.token, { to });
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  });
  console.log(`${n} transitions in ${(performance.now() - t0).toFixed(0)} ms`);
} finally {
  await ctx.close();
}
