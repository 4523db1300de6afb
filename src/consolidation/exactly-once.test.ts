import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { newId } from '../shared/ids.ts';
import { describeEachStore, secondInstance, testContext, type TestContext } from '../testing/harness.ts';
import { allLines, complete, enable, invoice, line, move, note, ok, task, world, type World } from './testkit.ts';

type Line = { id: string; amountCents: number };

describeEachStore('consolidation happens exactly once', (store) => {
  let ctx: TestContext;
  let w: World;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    await enable(w, w.rules.byProject);
  });
  after(() => ctx.close());

  const db = () => ctx.deps.db.kysely;
  const sourceIds = (taskId: string) =>
    db()
      .selectFrom('task_lines')
      .select('source_id')
      .where('task_id', '=', taskId)
      .execute()
      .then((rs) => rs.map((r) => r.source_id));

  /** A main task with `n` sub-tasks, each with 1 to 3 lines; returns the lines each sub-task holds. */
  async function project(n: number) {
    const main = await task(w, { title: `Project of ${n}` });
    const subs: { id: string; lines: Line[] }[] = [];
    for (let i = 0; i < n; i++) {
      const sub = await task(w, { title: `Sub ${i}`, parentId: main.id });
      const lines: Line[] = [];
      for (let k = 0; k <= i % 3; k++) lines.push(await line(w, sub.id, `Work ${i}.${k}`, `${(i % 7) + 1}.${k}25`, 1000 + 37 * i + k));
      subs.push({ id: sub.id, lines });
    }
    return { main, subs };
  }

  /** The main task holds exactly one copy of each sub-task line, and nothing else. */
  async function assertUnion(mainId: string, subs: { lines: Line[] }[]) {
    const expected = subs.flatMap((s) => s.lines);
    const held = await allLines(w, mainId);
    assert.equal(held.length, expected.length);
    const sources = await sourceIds(mainId);
    assert.equal(new Set(sources).size, sources.length, 'no line copied twice');
    assert.deepEqual([...sources].sort(), expected.map((l) => l.id).sort());
    const sum = expected.reduce((s, l) => s + l.amountCents, 0);
    assert.equal(
      held.reduce((s: number, l: Line) => s + l.amountCents, 0),
      sum,
    );
    assert.equal((await invoice(w, mainId)).totals.subtotalCents, sum);
  }

  it('consolidates once when the same completion is sent twice in a row', async () => {
    const { main, subs } = await project(1);
    await complete(w, subs[0].id);
    const again = await move(w, subs[0].id, 'completed');
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'transition_not_allowed');
    await assertUnion(main.id, subs);
  });

  it('consolidates once when the same completion is sent twice at the same time', async () => {
    for (let round = 0; round < 5; round++) {
      const { main, subs } = await project(1);
      const replies = await Promise.all([move(w, subs[0].id, 'completed'), move(w, subs[0].id, 'completed')]);
      assert.deepEqual(replies.map((r) => r.status).sort(), [200, 409], JSON.stringify(replies.map((r) => r.body)));
      await assertUnion(main.id, subs);
      const live = await db().selectFrom('consolidations').select('id').where('source_task_id', '=', subs[0].id).execute();
      assert.equal(live.length, 1);
    }
  });

  it('replays a retried completion with the same Idempotency-Key instead of doing it again', async () => {
    const { main, subs } = await project(2);
    const headers = { 'idempotency-key': `complete-${subs[1].id}` };
    const first = await ctx.call('POST', `/api/v1/tasks/${subs[1].id}/transitions`, w.org.token, { to: 'completed' }, headers);
    const retry = await ctx.call('POST', `/api/v1/tasks/${subs[1].id}/transitions`, w.org.token, { to: 'completed' }, headers);
    assert.equal(first.status, 200);
    assert.equal(retry.status, 200);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.deepEqual(retry.body, first.body);
    await assertUnion(main.id, [subs[1]]);
    assert.equal((await ok(w, 'GET', `/api/v1/tasks/${subs[1].id}/history`)).items.length, 2);
  });

  it('skips a second rule consolidating the same task into the same parent', async () => {
    const copy = await ok(w, 'POST', `/api/v1/automations/${w.rules.byProject}/duplicate`);
    await enable(w, copy.id);
    try {
      const { main, subs } = await project(3);
      await note(w, subs[2].id, 'Une seule fois');
      await complete(w, subs[2].id);
      await assertUnion(main.id, [subs[2]]);
      assert.equal((await ok(w, 'GET', `/api/v1/tasks/${main.id}/notes`)).items.length, 1);
      const runs = (await ok(w, 'GET', `/api/v1/automation-runs?taskId=${subs[2].id}`)).items;
      const byRule = new Map(runs.map((r: { ruleId: string; actions: unknown[] }) => [r.ruleId, r.actions[0]]));
      assert.equal((byRule.get(w.rules.byProject) as { outcome: string }).outcome, 'done');
      assert.deepEqual((byRule.get(copy.id) as { outcome: string; detail: { reason: string } }).detail.reason, 'already_consolidated');
      assert.equal((byRule.get(copy.id) as { outcome: string }).outcome, 'skipped');
    } finally {
      await ok(w, 'POST', `/api/v1/automations/${copy.id}/disable`);
    }
  });

  it('holds exactly the union of 50 sibling sub-tasks completed at the same time', { timeout: 120_000 }, async () => {
    const { main, subs } = await project(50);
    const replies = await Promise.all(subs.map((s) => move(w, s.id, 'completed')));
    assert.deepEqual(
      replies.filter((r) => r.status !== 200).map((r) => r.body),
      [],
    );
    await assertUnion(main.id, subs);
    const positions = (await allLines(w, main.id)).map((l: { position: number }) => l.position);
    assert.equal(new Set(positions).size, positions.length, 'no two copies share a position');
  });

  it("puts each sub-task's lines in exactly one place when the main task is completed while they complete", { timeout: 120_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const { main, subs } = await project(12);
      // Completions share the main task's lock; the main task's own completion waits for them
      // (and they for it): each sub-task's lines end up copied onto it, or stay where they are.
      const [closed, ...replies] = await Promise.all([move(w, main.id, 'completed'), ...subs.map((s) => move(w, s.id, 'completed'))]);
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      assert.deepEqual(
        replies.filter((r) => r.status !== 200).map((r) => r.body),
        [],
      );
      const live = await db()
        .selectFrom('consolidations')
        .select('source_task_id')
        .where('target_task_id', '=', main.id)
        .where('state', '=', 'active')
        .execute();
      const consolidated = new Set(live.map((c) => c.source_task_id));
      await assertUnion(
        main.id,
        subs.filter((s) => consolidated.has(s.id)),
      );
      const main2 = await ok(w, 'GET', `/api/v1/tasks/${main.id}`);
      assert.equal(main2.status, 'completed');
    }
  });

  it('completes the main task once its last sub-tasks complete, even together', { timeout: 120_000 }, async () => {
    const rule = await ok(w, 'POST', '/api/v1/automations', {
      name: 'Consolidate and close',
      trigger: { type: 'status_entered', category: 'done' },
      conditions: { hasParent: true },
      actions: [{ type: 'consolidate', target: 'parent', completeTargetWhenDone: true }],
    });
    await ok(w, 'POST', `/api/v1/automations/${w.rules.byProject}/disable`);
    await enable(w, rule.id);
    try {
      for (let round = 0; round < 10; round++) {
        const { main, subs } = await project(3);
        await complete(w, subs[0].id);
        assert.equal((await ok(w, 'GET', `/api/v1/tasks/${main.id}`)).status, 'todo');
        const replies = await Promise.all(subs.slice(1).map((s) => move(w, s.id, 'completed')));
        assert.deepEqual(
          replies.map((r) => r.status),
          [200, 200],
          JSON.stringify(replies.map((r) => r.body)),
        );
        assert.equal((await ok(w, 'GET', `/api/v1/tasks/${main.id}`)).status, 'completed', `round ${round}`);
        await assertUnion(main.id, subs);
      }
    } finally {
      await ok(w, 'POST', `/api/v1/automations/${rule.id}/disable`);
      await enable(w, w.rules.byProject);
    }
  });

  if (store === 'postgres') {
    it('holds exactly the union when two server instances share the database', { timeout: 120_000 }, async () => {
      const twin = await secondInstance(ctx);
      try {
        const { main, subs } = await project(50);
        const call = (instance: number, i: number) =>
          (instance % 2 ? twin.call : ctx.call)('POST', `/api/v1/tasks/${subs[i].id}/transitions`, w.org.token, { to: 'completed' });
        // Requests alternate between the instances, and every sub-task is sent to both: exactly one completion of each wins.
        const replies = await Promise.all(subs.flatMap((_, i) => [call(i, i), call(i + 1, i)]));
        assert.equal(replies.filter((r) => r.status === 200).length, 50, JSON.stringify(replies.filter((r) => r.status >= 500).map((r) => r.body)));
        assert.ok(replies.every((r) => r.status === 200 || r.body.error.code === 'transition_not_allowed'));
        await assertUnion(main.id, subs);
      } finally {
        await twin.close();
      }
    });
  }

  it('refuses, in the database itself, a second copy of the same source row', async () => {
    const { main, subs } = await project(1);
    await upload(subs[0].id);
    await note(w, subs[0].id, 'Copiée une fois');
    await complete(w, subs[0].id);
    for (const table of ['task_lines', 'attachments', 'notes'] as const) {
      const copy = await db().selectFrom(table).selectAll().where('task_id', '=', main.id).executeTakeFirstOrThrow();
      assert.ok(copy.source_id, table);
      await assert.rejects(
        db()
          .insertInto(table)
          .values({ ...copy, id: newId() } as never)
          .execute(),
        /unique|UNIQUE/,
        table,
      );
    }
    const live = await db().selectFrom('consolidations').selectAll().where('source_task_id', '=', subs[0].id).executeTakeFirstOrThrow();
    await assert.rejects(
      db()
        .insertInto('consolidations')
        .values({ ...live, id: newId() })
        .execute(),
      /unique|UNIQUE/,
    );
    // Retracted consolidations are history: any number of them may exist beside the live one.
    await db()
      .insertInto('consolidations')
      .values({ ...live, id: newId(), state: 'retracted' })
      .execute();
  });

  async function upload(taskId: string) {
    const boundary = 'exactlyonce';
    const payload = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="plan.txt"\r\nContent-Type: text/plain\r\n\r\nplan\r\n--${boundary}--\r\n`,
    );
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/attachments`,
      headers: { authorization: `Bearer ${w.org.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    assert.equal(res.statusCode, 201, res.body);
  }
});
