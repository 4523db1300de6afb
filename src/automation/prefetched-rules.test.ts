import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { allLines, complete, line, ok, task, world, type World } from '../consolidation/testkit.ts';
import { describeEachStore, secondInstance, testContext, type TestContext } from '../testing/harness.ts';
import { recordStatements } from '../testing/plans.ts';
import { knownGeneration, rememberEnabledRules, takePrefetchedRules } from './prefetched-rules.ts';

// The rules a transition runs are kept parsed by each store, by organization and generation
// (prefetched-rules.ts, migration 0020): the lock reads them again only when they changed.
describeEachStore('the rules a transition reads, kept by generation', (store) => {
  let ctx: TestContext;
  let w: World;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
  });
  after(() => ctx.close());

  const generation = async (orgId: string) =>
    Number(
      (await sql<{ value: number | string }>`select value from org_counters where org_id = ${orgId} and name = 'rules_generation'`.execute(ctx.deps.db.kysely))
        .rows[0]?.value ?? 0,
    );
  /** A sub-task of a new main task, with one line, in progress; the main task's id. */
  const subTask = async () => {
    const main = await task(w, { title: 'Projet' });
    const sub = await task(w, { title: 'Sous-tâche', parentId: main.id, status: 'in_progress' });
    await line(w, sub.id, 'Pose', '1', 1000);
    return { mainId: main.id as string, subId: sub.id as string };
  };
  /** Completes a new sub-task: whether "Consolidate by project" ran (its line reached the main task). */
  const consolidates = async () => {
    const { mainId, subId } = await subTask();
    await complete(w, subId);
    return (await allLines(w, mainId)).length === 1;
  };

  it('raises the generation on every write of a rule, whatever the path, and only for its organization', async () => {
    const other = await world(ctx);
    const otherAt = await generation(other.org.orgId);
    let at = await generation(w.org.orgId);
    const raised = async (what: string) => {
      const now = await generation(w.org.orgId);
      assert.ok(now > at, `${what}: ${now} after ${at}`);
      at = now;
    };
    await ok(w, 'POST', `/api/v1/automations/${w.rules.byProject}/enable`);
    await raised('enabled through the API');
    await ok(w, 'PATCH', `/api/v1/automations/${w.rules.byProject}`, { name: 'Regrouper par projet' });
    await raised('renamed');
    // As the resealing of webhook secrets writes rules: straight to the table.
    await ctx.deps.db.kysely.updateTable('automation_rules').set({ name: 'Par projet' }).where('id', '=', w.rules.byProject).execute();
    await raised('written without the API');
    const created = await ok(w, 'POST', '/api/v1/automations', {
      name: 'Démarrer le parent',
      trigger: { type: 'status_entered', status: 'in_progress', taskTypeIds: [w.workTypeId] },
      conditions: { hasParent: true },
      actions: [{ type: 'transition_task', task: 'parent', to: 'in_progress' }],
    });
    await raised('created');
    await ok(w, 'DELETE', `/api/v1/automations/${created.id}`);
    await raised('deleted');
    await ok(w, 'POST', `/api/v1/automations/${w.rules.byProject}/disable`);
    await raised('disabled');
    assert.equal(await generation(other.org.orgId), otherAt);
  });

  it('reads the rules again only when their generation moved, and runs each change from the next transition on', async () => {
    const seen = recordStatements(ctx);
    const knownSent = () => {
      const locks = seen.filter((s) => s.sql.includes('rules_generation') && s.sql.includes('enabled_rules'));
      assert.ok(locks.length > 0, 'the lock statement reads the rules');
      const known = locks.at(-1)!.parameters.find((p) => typeof p === 'number') as number;
      seen.length = 0;
      return known;
    };
    assert.equal(await consolidates(), false, 'disabled: nothing consolidated');
    knownSent();
    assert.equal(await consolidates(), false);
    assert.equal(knownSent(), await generation(w.org.orgId), 'the second transition names the generation its store keeps');

    await ok(w, 'POST', `/api/v1/automations/${w.rules.byProject}/enable`);
    assert.equal(await consolidates(), true, 'enabled through the API: runs at once');
    assert.equal(await consolidates(), true, 'and on, from the rules kept');
    assert.equal(knownSent(), await generation(w.org.orgId));

    await ctx.deps.db.kysely.updateTable('automation_rules').set({ enabled: 0 }).where('id', '=', w.rules.byProject).execute();
    assert.equal(await consolidates(), false, 'disabled without the API: the kept rules are not used');
  });

  it('keeps rules that no transition may change', async () => {
    await ok(w, 'POST', `/api/v1/automations/${w.rules.byProject}/enable`);
    assert.equal(await consolidates(), true);
    const gen = knownGeneration(ctx.deps.db, w.org.orgId);
    assert.notEqual(gen, -1);
    await ctx.deps.db.kysely.transaction().execute(async (trx) => {
      rememberEnabledRules(trx, ctx.deps.db, w.org.orgId, gen, null);
      const rules = takePrefetchedRules(trx, w.org.orgId)!;
      assert.ok(rules.length > 0);
      assert.throws(() => {
        (rules[0].actions as unknown[]).push({});
      }, TypeError);
    });
  });

  it('uses kept rules only at the generation the lock statement read (another transaction may have kept others since it was sent)', async () => {
    const gen = knownGeneration(ctx.deps.db, w.org.orgId);
    assert.notEqual(gen, -1);
    await ctx.deps.db.kysely.transaction().execute(async (trx) => {
      rememberEnabledRules(trx, ctx.deps.db, w.org.orgId, gen - 1, null);
      assert.equal(takePrefetchedRules(trx, w.org.orgId), undefined, 'not kept at that generation: the rules step reads the table');
    });
  });

  if (store === 'postgres') {
    it('sees, in another server process on the same database, a rule enabled through this one', async () => {
      const b = await secondInstance(ctx);
      try {
        await ok(w, 'POST', `/api/v1/automations/${w.rules.byProject}/disable`);
        const completeThroughB = async () => {
          const { mainId, subId } = await subTask();
          const r = await b.call('POST', `/api/v1/tasks/${subId}/transitions`, w.org.token, { to: 'completed' });
          assert.equal(r.status, 200, JSON.stringify(r.body));
          return (await allLines(w, mainId)).length === 1;
        };
        assert.equal(await completeThroughB(), false);
        assert.equal(await completeThroughB(), false, 'the second process keeps the rules now');
        await ok(w, 'POST', `/api/v1/automations/${w.rules.byProject}/enable`);
        assert.equal(await completeThroughB(), true, 'enabled in the first process: the second runs it');
      } finally {
        await b.close();
      }
    });
  }
});
