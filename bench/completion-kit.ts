// What the in-process profiling tools (profile-loop.ts, sql-trace.ts, copy-cost.ts) complete:
// sub-tasks of 5 lines and 2 attachments under main tasks, with "Consolidate by project" on, as
// the bench's HTTP completion scenarios make them.
import { enable, line, task, world, type World } from '../src/consolidation/testkit.ts';
import type { TestContext } from '../src/testing/harness.ts';
import { attachmentRows, benchFiles } from './jobs/kit.ts';
import { inParallel } from './util.ts';

/** A new organization with "Consolidate by project" on, and a maker of sub-tasks to complete. */
export async function consolidatingWorld(ctx: TestContext) {
  const w = await world(ctx);
  await enable(w, w.rules.byProject);
  const files = (await benchFiles(ctx.deps)).slice(0, 2);
  /** A sub-task of `mainId`, in progress, with 5 lines and 2 attachments; its id. */
  const subtask = async (mainId: string, title = 'Sous-tâche') => {
    const sub = await task(w, { title, parentId: mainId, status: 'in_progress' });
    for (let l = 0; l < 5; l++) await line(w, sub.id, `Ligne ${l}`, '1.5', 1000 + l);
    await ctx.deps.db.kysely
      .insertInto('attachments')
      .values(attachmentRows(ctx.deps, [{ id: sub.id, org_id: w.org.orgId } as never], files, w.org.userId) as never)
      .execute();
    return sub.id as string;
  };
  return { w, subtask };
}

/** `mainCount` main tasks and `count` sub-tasks spread over them in turn (the i-th under main i mod mainCount), made 10 at a time. */
export async function projects(ctx: TestContext, count: number, mainCount: number): Promise<{ w: World; mains: string[]; subs: string[] }> {
  const { w, subtask } = await consolidatingWorld(ctx);
  const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);
  const mains = await inParallel(upTo(mainCount), 10, async (i) => (await task(w, { title: `Projet ${i}` })).id as string);
  const subs = await inParallel(upTo(count), 10, (i) => subtask(mains[i % mainCount], `Sous-tâche ${i}`));
  return { w, mains, subs };
}
