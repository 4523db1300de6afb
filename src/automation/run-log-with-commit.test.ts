import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { complete, enable, line, task, world, type World } from '../consolidation/testkit.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';

describeEachStore("a rule's run log", (store) => {
  let ctx: TestContext;
  let w: World;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    await enable(w, w.rules.byProject);
  });
  after(() => ctx.close());

  it('is written in the transition it logs: on PostgreSQL sent with the COMMIT, no round trip of its own', async () => {
    const main = await task(w, { title: 'Projet journalisé' });
    const sub = await task(w, { title: 'Sous-tâche journalisée', parentId: main.id });
    await line(w, sub.id, 'Ligne', '1', 100);

    // Every message any pg client sends meanwhile (PostgreSQL).
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    if (store === 'postgres') {
      pg.Client.prototype.query = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
        sent.push(typeof config === 'string' ? config : ((config as { text?: string }).text ?? ''));
        return (query as (...a: unknown[]) => unknown).call(this, config, ...rest);
      } as typeof query;
    }
    try {
      await complete(w, sub.id);
    } finally {
      pg.Client.prototype.query = query;
    }
    const runs = await ctx.deps.db.kysely.selectFrom('automation_runs').select(['rule_id', 'outcome']).where('task_id', '=', sub.id).execute();
    assert.deepEqual(runs, [{ rule_id: w.rules.byProject, outcome: 'succeeded' }]);
    if (store === 'postgres') {
      const runLog = sent.filter((s) => /insert into "automation_runs"/.test(s));
      assert.equal(runLog.length, 1, JSON.stringify(sent));
      assert.match(runLog[0], /;\ncommit$/, 'in the COMMIT message');
    }
  });
});
