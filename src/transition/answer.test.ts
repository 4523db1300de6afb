import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql, type Kysely, type KyselyPlugin } from 'kysely';
import { allLines, billing, enable, line, move, ok, task, world, type World } from '../consolidation/testkit.ts';
import type { Database } from '../db/index.ts';
import { loadTaskDto } from '../tasks/index.ts';
import { describeEachStore, testContext, type StoreName, type TestContext } from '../testing/harness.ts';

/**
 * A store whose app statements are recorded (as in consolidation/no-scan.test.ts), and
 * `transition`: moves a task; returns the answer, the task as loadTaskDto reads it now, how many
 * statements read the tasks table, how many read a task with its type (the lock, and loadTaskDto),
 * and how many read the rules on their own (the lock reads the organization's enabled rules).
 */
async function recordingStore(store: StoreName) {
  const ctx = await testContext(store);
  const w = await world(ctx);
  const base = ctx.deps.db.kysely;
  const seen: string[] = [];
  const recorder: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      seen.push(base.getExecutor().compileQuery(node, queryId).sql);
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  ctx.deps.db.kysely = base.withPlugin(recorder);
  async function transition(id: string, to: string) {
    seen.length = 0;
    const r = await move(w, id, to);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const taskReads = seen.filter((s) => /^select/i.test(s) && /from "tasks"/i.test(s)).length;
    const withType = seen.filter((s) => /^select/i.test(s) && /"tt_key"/.test(s)).length;
    const ruleReads = seen.filter((s) => /^select .* from "automation_rules"/is.test(s)).length;
    const stored = JSON.parse(JSON.stringify(await loadTaskDto(base, w.org.orgId, id)));
    return { answer: r.body, stored, taskReads, withType, ruleReads };
  }
  return { ctx, w, base, transition };
}

describeEachStore('the answer of a transition', (store) => {
  let ctx: TestContext;
  let w: World;
  let base: Kysely<Database>;
  let transition: Awaited<ReturnType<typeof recordingStore>>['transition'];
  let clientId: string;
  let techs: string[];
  before(async () => {
    ({ ctx, w, base, transition } = await recordingStore(store));
    clientId = (await ok(w, 'POST', '/api/v1/clients', { name: 'Client Répondu', taxRegion: 'QC' })).id;
    techs = [(await ctx.addUser(w.org, 'technician')).userId, (await ctx.addUser(w.org, 'technician')).userId];
  });
  after(() => ctx.close());

  it('is the task as loadTaskDto reads it, built without reading the task again, with or without client, assignees, parent', async () => {
    const main = await task(w, { title: 'Principal' });
    const full = await task(w, {
      title: 'Complète',
      description: 'Tout y est',
      clientId,
      parentId: main.id,
      // Given out of order: the answer lists them as loadTaskDto does (by id).
      assigneeIds: [...techs].sort().reverse(),
      scheduledStart: '2025-03-04T13:00:00.000Z',
      scheduledEnd: '2025-03-04T15:00:00.000Z',
      siteAddress: { line1: '1 rue du Chantier', city: 'Québec', region: 'QC', postalCode: 'G1R 1A1' },
      status: 'in_progress',
    });
    const bare = await task(w, { title: 'Nue', status: 'in_progress' });
    const oneTech = await task(w, { title: 'Un technicien', assigneeIds: [techs[0]], status: 'in_progress' });
    for (const t of [full, bare, oneTech]) {
      for (const to of ['scheduled', 'in_progress', 'completed']) {
        const { answer, stored, taskReads } = await transition(t.id, to);
        assert.deepEqual(answer, stored, `${t.title} → ${to}`);
        assert.equal(answer.status, to);
        // The lock only: the answer was not read again after commit.
        assert.equal(taskReads, 1, `${t.title} → ${to}: ${taskReads} reads of tasks`);
      }
    }
    const { answer } = await transition(full.id, 'in_progress');
    assert.deepEqual(
      [answer.client, answer.parentId, answer.assigneeIds, answer.completedAt],
      [{ id: clientId, name: 'Client Répondu' }, main.id, [...techs].sort(), null],
    );
  });

  it('shows the assignees and client of the latest edit, not those of the edit before', async () => {
    const t = await task(w, { title: 'Modifiée', assigneeIds: [techs[0]], status: 'in_progress' });
    await transition(t.id, 'scheduled');
    await ok(w, 'PATCH', `/api/v1/tasks/${t.id}`, { assigneeIds: [techs[1]], clientId });
    const { answer, stored } = await transition(t.id, 'in_progress');
    assert.deepEqual(answer, stored);
    assert.deepEqual([answer.assigneeIds, answer.client?.id], [[techs[1]], clientId]);
  });

  it('shows the assignees an edit committed while the transition waited for the lock (PostgreSQL)', { skip: store !== 'postgres' }, async () => {
    const t = await task(w, { title: 'Attendue', assigneeIds: [techs[0]], status: 'in_progress' });
    let waiting: Promise<Awaited<ReturnType<typeof transition>>> | undefined;
    await base.transaction().execute(async (trx) => {
      // An edit as updateTask makes it: the task locked, its assignees replaced, its version bumped.
      await sql`select id from tasks where id = ${t.id} for update`.execute(trx);
      const { pid } = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0];
      waiting = transition(t.id, 'scheduled');
      // Until the transition's lock statement waits on this transaction (its snapshot is then older than the edit).
      const blocked = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))`;
      await until(async () => (await blocked.execute(base)).rows[0].n > 0);
      await trx.deleteFrom('task_assignees').where('task_id', '=', t.id).execute();
      await trx.insertInto('task_assignees').values({ org_id: w.org.orgId, task_id: t.id, user_id: techs[1] }).execute();
      await trx.updateTable('tasks').set({ version: sql`version + 1` }).where('id', '=', t.id).execute();
    });
    const { answer, stored } = await waiting!;
    assert.deepEqual(answer.assigneeIds, [techs[1]]);
    assert.deepEqual(answer, stored);
  });

  it('reads the task again when a rule re-parented it, or a reopen gave its parent back, and answers the parent it has', async () => {
    await enable(w, w.rules.progressive);
    const h = billing(w);
    const c = await h.client();
    const inv = await h.openInvoice(c);
    const job = await h.work(c);
    assert.equal(job.parentId, null);
    const { answer, stored, withType } = await transition(job.id, 'completed');
    assert.equal(answer.parentId, inv.id);
    assert.deepEqual(answer, stored);
    assert.equal(withType, 2, 'the lock, then read again after commit');

    // Leaving "done" retracts it and gives the parent back (retractOnReopen): read again too.
    const reopened = await transition(job.id, 'in_progress');
    assert.equal(reopened.answer.parentId, null);
    assert.deepEqual(reopened.answer, reopened.stored);
  });
});

describeEachStore('the answer of a transition whose rules ran', (store) => {
  let ctx: TestContext;
  let w: World;
  let transition: Awaited<ReturnType<typeof recordingStore>>['transition'];
  before(async () => {
    ({ ctx, w, transition } = await recordingStore(store));
  });
  after(() => ctx.close());

  it('is built without reading the task again when the rules left it as it was: a sub-task consolidated into its main task', async () => {
    await enable(w, w.rules.byProject);
    const main = await task(w, { title: 'Principal' });
    // The main task's first lines also set up its line counter: the second completion is the usual one.
    for (const title of ['Première', 'Seconde']) {
      const sub = await task(w, { title, parentId: main.id, assigneeIds: [w.org.userId], status: 'in_progress' });
      await line(w, sub.id, 'Excavatrice', '2', 14500);
      const { answer, stored, withType, taskReads, ruleReads } = await transition(sub.id, 'completed');
      assert.deepEqual(answer, stored);
      assert.equal(answer.parentId, main.id);
      assert.equal(withType, 1, 'the lock only');
      assert.equal(ruleReads, 0, 'the rules the lock read');
      if (title === 'Seconde') assert.equal(taskReads, 2, 'the lock, then the sub-task with its main task (lockSource), one statement');
    }
    assert.equal((await allLines(w, main.id)).length, 2, 'the rule ran');
  });

  it('reads the task again when a rule moved it on', async () => {
    const onward = await ok(w, 'POST', '/api/v1/automations', {
      name: 'Planifiée, donc commencée',
      enabled: true,
      trigger: { type: 'status_entered', status: 'scheduled' },
      actions: [{ id: 'start', type: 'transition_task', task: 'self', to: 'in_progress' }],
    });
    try {
      const t = await task(w, { title: 'Repoussée', status: 'in_progress' });
      const { answer, stored, withType, ruleReads } = await transition(t.id, 'scheduled');
      assert.equal(answer.status, 'in_progress', 'the status the rule left it in');
      assert.deepEqual(answer, stored);
      assert.equal(withType, 2, 'the lock, then read again after commit');
      assert.equal(ruleReads, 1, "the lock's for this transition; the rule's own transition reads them again");
    } finally {
      await ok(w, 'POST', `/api/v1/automations/${onward.id}/disable`);
    }
  });
});

async function until(check: () => Promise<boolean>) {
  for (let i = 0; !(await check()); i++) {
    if (i > 500) throw new Error('the transition never waited for the lock');
    await new Promise((r) => setTimeout(r, 10));
  }
}
