import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { ok, task, world, type World } from '../consolidation/testkit.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { createWorker } from '../worker.ts';
import { genericPlan } from '../testing/plans.ts';
import { analyzeStaleTables } from './statistics.ts';

describeEachStore('keeping PostgreSQL statistics when autovacuum does not', (store) => {
  let ctx: TestContext;
  let w: World;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
  });
  after(() => ctx.close());

  /** The index a generic plan (what a prepared statement settles on) reads `query` with, and its condition. */
  async function indexOf(query: string, params: string[]) {
    const plan = await genericPlan(ctx.deps.db.kysely, query, params);
    return { index: plan.match(/Index (?:Only )?Scan (?:Backward )?using (\w+)/)?.[1], cond: plan.match(/Index Cond: (.*)/)?.[1] ?? '' };
  }

  /** Rows of `table` changed since its last ANALYZE, as PostgreSQL counts them (they reach other sessions within a second or so). */
  const changedSinceAnalyze = async (table: string) =>
    Number(
      (
        await sql<{ n: string }>`select n_mod_since_analyze as n from pg_stat_user_tables where schemaname = current_schema() and relname = ${table}`.execute(
          ctx.deps.db.kysely,
        )
      ).rows[0].n,
    );

  it('analyzes the tables that grew since their last statistics, then a task is locked by its key and its lines found by task', async (t) => {
    if (store === 'sqlite') {
      assert.deepEqual(await analyzeStaleTables(ctx.deps), [], 'SQLite plans a lookup by key without statistics');
      return;
    }
    const main = await task(w, { title: 'Projet' });
    const items = Array.from({ length: 300 }, (_, i) => ({
      typeId: w.workTypeId,
      parentId: main.id,
      title: `Sous-tâche ${i}`,
      lines: [{ description: 'Ligne', quantity: '1', unitPriceCents: 100 }],
    }));
    const created = await ok(w, 'POST', '/api/v1/tasks/bulk', items);
    const last = created.tasks.at(-1).id as string;

    // The counts PostgreSQL keeps of changed rows reach other sessions within a second or so.
    let analyzed: string[] = [];
    for (let i = 0; i < 60 && !analyzed.includes('tasks'); i++) {
      analyzed = [...analyzed, ...(await analyzeStaleTables(ctx.deps))];
      if (!analyzed.includes('tasks')) await new Promise((r) => setTimeout(r, 250));
    }
    t.diagnostic(`analyzed: ${analyzed.join(', ')}`);
    assert.ok(analyzed.includes('tasks') && analyzed.includes('task_lines'), analyzed.join(', '));

    const lock = await indexOf('select * from tasks where org_id = $1 and id = $2 for update', [w.org.orgId, last]);
    assert.match(lock.cond, /\bid = /, `locked through ${lock.index}: ${lock.cond}`);
    const lines = await indexOf('select max(position) from task_lines where org_id = $1 and task_id = $2', [w.org.orgId, last]);
    assert.match(lines.cond, /task_id = /, `lines read through ${lines.index}: ${lines.cond}`);

    assert.ok(!(await analyzeStaleTables(ctx.deps)).includes('tasks'), 'analyzed once: unchanged since');

    // Grown again while another worker analyzes it (holds the lock ANALYZE takes): left to that one, nothing waits.
    await ok(w, 'POST', '/api/v1/tasks/bulk', items.slice(0, 100));
    for (let i = 0; i < 60 && (await changedSinceAnalyze('tasks')) < 100; i++) await new Promise((r) => setTimeout(r, 250));
    assert.equal(await changedSinceAnalyze('tasks'), 100);
    await ctx.deps.db.kysely.transaction().execute(async (other) => {
      await sql`lock table tasks in share update exclusive mode`.execute(other);
      const started = Date.now();
      const skipped = await analyzeStaleTables(ctx.deps);
      assert.ok(!skipped.includes('tasks') && Date.now() - started < 2000, `${skipped.join(', ')} in ${Date.now() - started} ms`);
    });
    assert.ok((await analyzeStaleTables(ctx.deps)).includes('tasks'), 'analyzed by the next round');
  });

  it("runs in the worker's loop: a table grown since is analyzed at the worker's start", async () => {
    if (store === 'sqlite') return;
    const lastAnalyzed = async () =>
      (
        await sql<{ at: Date | null }>`select last_analyze as at from pg_stat_user_tables where schemaname = current_schema() and relname = 'notes'`.execute(
          ctx.deps.db.kysely,
        )
      ).rows[0].at;
    const before = await lastAnalyzed();
    const target = await task(w, { title: 'Notes' });
    for (let i = 0; i < 60; i++) await ok(w, 'POST', `/api/v1/tasks/${target.id}/notes`, { body: `Note ${i}` });
    for (let i = 0; i < 60 && (await changedSinceAnalyze('notes')) < 60; i++) await new Promise((r) => setTimeout(r, 250));
    const worker = createWorker(ctx.deps, { pollMs: 10 });
    worker.start();
    try {
      for (let i = 0; i < 100 && (await lastAnalyzed())?.getTime() === before?.getTime(); i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
    }
    assert.notEqual((await lastAnalyzed())?.getTime(), before?.getTime(), 'notes analyzed by the worker');
  });
});
