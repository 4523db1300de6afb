import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { newId } from '../shared/ids.ts';
import { planOf as plansOf, recordStatements, type Seen } from '../testing/plans.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { billing, complete, enable, world, type World } from './testkit.ts';

describeEachStore('the index of pending consolidations (migration 0018)', (store) => {
  let ctx: TestContext;
  let w: World;
  let seen: Seen[];
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    await enable(w, w.rules.progressive);
    seen = recordStatements(ctx);
  });
  after(() => ctx.close());

  const planOf = (s: Seen) => plansOf(ctx, store, s, ['consolidations', 'tasks', 'task_lines']);

  /** The statements recorded meanwhile that read the client's consolidations by state. */
  async function readsByClient(run: () => Promise<unknown>) {
    seen.length = 0;
    await run();
    return seen.filter((s) => /^\s*select/i.test(s.sql) && /from "consolidations"/i.test(s.sql) && /"client_id" = /.test(s.sql));
  }

  it('holds only pending consolidations: a completion consolidated into an open invoice writes no entry', async () => {
    const entries =
      store === 'sqlite'
        ? (
            await sql<{ partial: number }>`select partial from pragma_index_list('consolidations') where name = 'consolidations_pending_idx'`.execute(
              ctx.deps.db.kysely,
            )
          ).rows
        : (
            await sql<{
              def: string;
            }>`select indexdef as def from pg_indexes where schemaname = current_schema() and indexname = 'consolidations_pending_idx'`.execute(
              ctx.deps.db.kysely,
            )
          ).rows;
    assert.equal(entries.length, 1);
    if (store === 'sqlite') assert.equal((entries[0] as { partial: number }).partial, 1);
    else assert.match((entries[0] as { def: string }).def, /\(org_id, client_id, id\) WHERE \(state = 'pending'::text\)$/);
  });

  it("serves the client's unbilled work and the sweep into a new invoice task, each through a plan on that index", async () => {
    const b = billing(w);
    const clientId = await b.client();
    const work = await b.work(clientId);
    await complete(w, work.id);
    // The client's history: 300 tasks whose content went into an invoice (active consolidations),
    // which a reader of the pending ones must not go through.
    const db = ctx.deps.db.kysely;
    const row = await db.selectFrom('tasks').selectAll().where('id', '=', work.id).executeTakeFirstOrThrow();
    const done = Array.from({ length: 300 }, (_, i) => ({ ...row, id: newId(), number: row.number + 1000 + i }));
    await db.insertInto('tasks').values(done).execute();
    const at = new Date().toISOString();
    await db
      .insertInto('consolidations')
      .values(
        done.map((t) => ({
          ...{ id: newId(), org_id: t.org_id, source_task_id: t.id, target_task_id: work.id, client_id: clientId, rule_id: null, state: 'active' as const },
          ...{ reparented: 0, previous_parent_id: null, options: '{}', created_at: at, retracted_at: null },
        })),
      )
      .execute();

    const listed = await readsByClient(async () => assert.equal((await b.unbilled(clientId)).items.length, 1));
    assert.equal(listed.length, 2, 'the page and its total');
    const swept = await readsByClient(() => b.openInvoice(clientId, 'Facture suivante'));
    assert.equal(swept.length, 1, 'the sweep of the new invoice task');
    assert.equal((await b.unbilled(clientId)).items.length, 0, 'the new invoice task took the pending work');

    for (const s of [...listed, ...swept]) assert.match(await planOf(s), /consolidations_pending_idx/, s.sql);
  });
});
