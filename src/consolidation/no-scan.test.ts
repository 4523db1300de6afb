import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { newId } from '../shared/ids.ts';
import { planOf as plansOf, recordStatements, type Seen } from '../testing/plans.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { complete, enable, line, move, note, ok, task, world, type World } from './testkit.ts';

describeEachStore('consolidation never reads what the main task already holds', (store) => {
  let ctx: TestContext;
  let w: World;
  let seen: Seen[];
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    await enable(w, w.rules.byProject);
    // Every statement the app sends from now on (the line positions' second pool's too) is recorded.
    seen = recordStatements(ctx);
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

  it("takes a task's first line's position from the counter row made with the task, one by one or in bulk: no read of the lines", async () => {
    /** Adds a line to `taskId`; the statements that read its lines, and the line's position. */
    const firstLine = async (taskId: string) => {
      seen.length = 0;
      const added = await line(w, taskId, 'Ajoutée', '1', 100);
      return { reads: readsOf([...seen], taskId).map((s) => s.sql), position: added.position };
    };
    const alone = await task(w, { title: 'Nouvelle' });
    assert.deepEqual(await firstLine(alone.id), { reads: [], position: 1 });

    // Made in bulk with two lines: its counter starts after them.
    const created = await ok(w, 'POST', '/api/v1/tasks/bulk', [
      { typeId: w.workTypeId, title: 'En lot', lines: ['A', 'B'].map((d) => ({ description: d, quantity: '1', unitPriceCents: 100 })) },
      { typeId: w.workTypeId, title: 'En lot, sans ligne' },
    ]);
    const [withTwo, withNone] = created.tasks.map((t: { id: string }) => t.id);
    assert.deepEqual(await firstLine(withTwo), { reads: [], position: 3 });
    assert.deepEqual(await firstLine(withNone), { reads: [], position: 1 });
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

  const planOf = (s: Seen) => plansOf(ctx, store, s, ['tasks', 'consolidations', 'task_lines', 'attachments', 'notes']);

  it("finds a task's live consolidation through its unique index, not among all of the organization's", async () => {
    const main = await task(w, { title: 'Projet indexé' });
    // A long history in the organization: 500 consolidations of another task, each retracted.
    const old = await task(w, { title: 'Souvent rouverte', parentId: main.id });
    const at = new Date().toISOString();
    await ctx.deps.db.kysely
      .insertInto('consolidations')
      .values(
        Array.from({ length: 500 }, () => ({
          id: newId(),
          org_id: w.org.orgId,
          source_task_id: old.id,
          target_task_id: main.id,
          client_id: null,
          rule_id: null,
          state: 'retracted' as const,
          reparented: 0,
          previous_parent_id: null,
          options: '{}',
          created_at: at,
          retracted_at: at,
        })),
      )
      .execute();
    const sub = await task(w, { title: 'Sous-tâche indexée', parentId: main.id });
    await line(w, sub.id, 'Ligne', '1', 100);
    seen.length = 0;
    await complete(w, sub.id);
    const reopened = await move(w, sub.id, 'in_progress');
    assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
    const lookups = seen.filter((s) => /^\s*select/i.test(s.sql) && /"consolidations"/.test(s.sql));
    assert.equal(lookups.length, 2, 'one lookup on the completion, one on the reopen');
    for (const s of lookups) assert.match(await planOf(s), /consolidations_source_live_uq/, s.sql);
  });

  it("takes a reopened sub-task's copies back through the rows they were copied from, not among the main task's", async () => {
    const main = await task(w, { title: 'Projet repris' });
    for (let i = 0; i < 3; i++) await completeOne(main.id, 10);
    const sub = await task(w, { title: 'Sous-tâche reprise', parentId: main.id });
    await line(w, sub.id, 'Ligne', '1', 100);
    await note(w, sub.id, 'Note');
    await complete(w, sub.id);
    seen.length = 0;
    const reopened = await move(w, sub.id, 'in_progress');
    assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
    const deletes = seen.filter((s) => /^\s*delete from "(task_lines|attachments|notes)"/i.test(s.sql));
    assert.equal(deletes.length, 3, 'one delete per kind of content');
    for (const s of deletes) {
      const table = /delete from "(\w+)"/i.exec(s.sql)![1];
      assert.match(await planOf(s), new RegExp(`${table}_source_uq`), s.sql);
    }
    const left = await ctx.deps.db.kysely.selectFrom('task_lines').select('id').where('task_id', '=', main.id).execute();
    assert.equal(left.length, 30, "the other sub-tasks' copies stay");
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
