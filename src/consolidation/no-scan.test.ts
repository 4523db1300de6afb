import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { complete, enable, line, note, task, world, type World } from './testkit.ts';

type Seen = { sql: string; parameters: readonly unknown[] };

describeEachStore('consolidation never reads what the main task already holds', (store) => {
  let ctx: TestContext;
  let w: World;
  const seen: Seen[] = [];
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    await enable(w, w.rules.byProject);
    // Every statement the app sends from now on is compiled once more here and recorded.
    const base = ctx.deps.db.kysely;
    const recorder: KyselyPlugin = {
      transformQuery({ node, queryId }) {
        const q = base.getExecutor().compileQuery(node, queryId);
        seen.push({ sql: q.sql, parameters: q.parameters });
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    ctx.deps.db.kysely = base.withPlugin(recorder);
  });
  after(() => ctx.close());

  /** Completes a new sub-task of `mainId` with `lines` lines and a note; returns the statements it took. */
  async function completeOne(mainId: string, lines = 3) {
    const sub = await task(w, { title: 'Sous-tâche', parentId: mainId });
    for (let i = 0; i < lines; i++) await line(w, sub.id, `Ligne ${i}`, '1.5', 1000 + i);
    await note(w, sub.id, 'Fait');
    seen.length = 0;
    await complete(w, sub.id);
    return [...seen];
  }

  /** Reads of the target's content: a SELECT from a content table with the target's id as a parameter. */
  const readsOf = (statements: Seen[], targetId: string) =>
    statements.filter((s) => /^\s*select/i.test(s.sql) && /from "(task_lines|attachments|notes)"/i.test(s.sql) && s.parameters.includes(targetId));

  it("reads nothing of the main task's lines, attachments or notes: the next position comes from its counter row", async () => {
    const main = await task(w, { title: 'Grand projet' });
    for (let i = 0; i < 3; i++) await line(w, main.id, `Propre ${i}`, '1', 100);
    for (let i = 0; i < 5; i++) await completeOne(main.id, 10);
    const statements = await completeOne(main.id);
    assert.ok(
      statements.some((s) => /^\s*insert into "task_lines"/i.test(s.sql)),
      'the recorder sees the consolidation',
    );
    // Not even an aggregate: max(position) over 100,000 lines grew with dead rows when no VACUUM ran.
    assert.deepEqual(
      readsOf(statements, main.id).map((s) => s.sql),
      [],
    );
    const counter = statements.filter((s) => /^\s*update "task_counters"/i.test(s.sql) && s.parameters.includes(main.id));
    assert.equal(counter.length, 1, "one update of the main task's counter row");
  });

  it("numbers the copied lines after the main task's own, in order, across completions", async () => {
    const main = await task(w, { title: 'Projet numéroté' });
    await line(w, main.id, 'Propre', '1', 100);
    await completeOne(main.id, 2);
    await line(w, main.id, 'Propre après', '1', 100);
    await completeOne(main.id, 2);
    const rows = await ctx.deps.db.kysely
      .selectFrom('task_lines')
      .select(['position', 'description'])
      .where('task_id', '=', main.id)
      .orderBy('position')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.position),
      [1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual(
      rows.map((r) => r.description.startsWith('Propre')),
      [true, false, false, true, false, false],
    );
  });

  it('continues after the last line of a task that has no counter row yet (counted once, from its lines)', async () => {
    const main = await task(w, { title: 'Projet ancien' });
    for (let i = 0; i < 3; i++) await line(w, main.id, `Propre ${i}`, '1', 100);
    await ctx.deps.db.kysely.deleteFrom('task_counters').where('task_id', '=', main.id).execute();
    await completeOne(main.id, 2);
    const again = await completeOne(main.id, 2);
    assert.deepEqual(
      readsOf(again, main.id).map((s) => s.sql),
      [],
      'counted once: the next completion reads nothing',
    );
    const rows = await ctx.deps.db.kysely.selectFrom('task_lines').select('position').where('task_id', '=', main.id).orderBy('position').execute();
    assert.deepEqual(
      rows.map((r) => r.position),
      [1, 2, 3, 4, 5, 6, 7],
    );
  });

  it('sends the same number of statements whether the main task holds 3 lines or 300', async () => {
    const small = await task(w, { title: 'Petit projet' });
    await completeOne(small.id, 3);
    const big = await task(w, { title: 'Gros projet' });
    for (let i = 0; i < 10; i++) await completeOne(big.id, 30);
    const onSmall = await completeOne(small.id, 4);
    const onBig = await completeOne(big.id, 4);
    // The rate limiter's sync (PostgreSQL, every LOCAL_BATCH requests) is not the consolidation's.
    const shape = (xs: Seen[]) => xs.filter((s) => !/"rate_limits"/.test(s.sql)).map((s) => s.sql.replace(/\$\d+/g, '?'));
    assert.deepEqual(shape(onBig), shape(onSmall));
  });
});
