import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { allLines, complete, enable, invoice, line, move, note, ok, task, world, type World } from './testkit.ts';

describeEachStore('consolidation by project', (store) => {
  let ctx: TestContext;
  let w: World;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    await enable(w, w.rules.byProject);
  });
  after(() => ctx.close());

  it("moves a completed sub-task's lines and notes to the main task once, with provenance", async () => {
    const main = await task(w, { title: 'Entrée de garage' });
    const dig = await task(w, { title: 'Excavation', parentId: main.id, assigneeIds: [w.org.userId] });
    const pave = await task(w, { title: 'Pavage', parentId: main.id });
    const l1 = await line(w, dig.id, 'Excavatrice', '6.5', 14500);
    await line(w, dig.id, 'Gravier', '12.75', 3850);
    await note(w, dig.id, 'Sol argileux');
    await line(w, pave.id, 'Asphalte', '3', 12000);

    await complete(w, dig.id);
    const lines = await allLines(w, main.id);
    assert.deepEqual(
      lines.map((l: { description: string }) => l.description),
      ['Excavatrice', 'Gravier'],
    );
    const view = await invoice(w, main.id);
    assert.equal(view.groups.length, 1);
    assert.equal(view.groups[0].source.taskId, dig.id);
    assert.equal(view.groups[0].source.number, dig.displayNumber);
    assert.deepEqual(
      view.groups[0].source.assignees.map((a: { id: string }) => a.id),
      [w.org.userId],
    );
    assert.equal(view.groups[0].subtotalCents, 94250 + 49088);
    assert.equal(view.totals.subtotalCents, 94250 + 49088);
    assert.equal(lines[0].source.taskId, dig.id);
    assert.equal(lines[0].source.number, dig.displayNumber);
    assert.notEqual(lines[0].id, l1.id);
    const notes = await ok(w, 'GET', `/api/v1/tasks/${main.id}/notes`);
    assert.deepEqual(
      notes.items.map((n: { body: string; source: { taskId: string } }) => [n.body, n.source.taskId]),
      [['Sol argileux', dig.id]],
    );

    const again = await move(w, dig.id, 'completed');
    assert.equal(again.status, 409);
    assert.equal((await allLines(w, main.id)).length, 2);

    const runs = await ok(w, 'GET', `/api/v1/automation-runs?taskId=${dig.id}`);
    assert.equal(runs.items.length, 1);
    assert.equal(runs.items[0].outcome, 'succeeded');
    assert.equal(runs.items[0].actions[0].detail.lines, 2);
    assert.equal(runs.items[0].actions[0].detail.notes, 1);
  });

  it('retracts the content when the sub-task is reopened, and consolidates its edits when completed again', async () => {
    const main = await task(w, { title: 'Projet' });
    const sub = await task(w, { title: 'Sous-tâche', parentId: main.id });
    const l = await line(w, sub.id, 'Main-d’œuvre', '2', 8000);
    await complete(w, sub.id);
    assert.equal((await invoice(w, main.id)).totals.subtotalCents, 16000);

    const reopened = await move(w, sub.id, 'in_progress');
    assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
    assert.equal((await allLines(w, main.id)).length, 0);
    await ok(w, 'PATCH', `/api/v1/tasks/${sub.id}/lines/${l.id}`, { quantity: '3' });
    await complete(w, sub.id);
    const lines = await allLines(w, main.id);
    assert.equal(lines.length, 1);
    assert.equal(lines[0].amountCents, 24000);
  });

  it('refuses to reopen a sub-task whose main task is closed, naming it', async () => {
    const main = await task(w, { title: 'Projet fermé' });
    const sub = await task(w, { title: 'Sous-tâche', parentId: main.id });
    await line(w, sub.id, 'Travail', '1', 1000);
    await complete(w, sub.id);
    await complete(w, main.id);
    const r = await move(w, sub.id, 'in_progress');
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'consolidated_into_closed_task');
    assert.equal(r.body.error.details.taskId, main.id);
    const again = await ok(w, 'GET', `/api/v1/tasks/${sub.id}`);
    assert.equal(again.status, 'completed');
  });

  it('passes nested content on with its original provenance', async () => {
    const top = await task(w, { title: 'Top' });
    const mid = await task(w, { title: 'Mid', parentId: top.id });
    const leaf = await task(w, { title: 'Leaf', parentId: mid.id });
    await line(w, leaf.id, 'Leaf work', '1', 500);
    await line(w, mid.id, 'Mid work', '1', 700);
    await complete(w, leaf.id);
    await complete(w, mid.id);
    const view = await invoice(w, top.id);
    const bySource = Object.fromEntries(view.groups.map((g: { source: { taskId: string }; subtotalCents: number }) => [g.source.taskId, g.subtotalCents]));
    assert.deepEqual(bySource, { [mid.id]: 700, [leaf.id]: 500 });
    assert.equal(view.totals.subtotalCents, 1200);
  });

  it('on reopening a middle task, takes back from the top task its own and its received copies, and only those', async () => {
    const top = await task(w, { title: 'Top rouvert' });
    const mid = await task(w, { title: 'Mid rouvert', parentId: top.id });
    const leaf = await task(w, { title: 'Leaf rouvert', parentId: mid.id });
    const other = await task(w, { title: 'Voisin', parentId: top.id });
    await line(w, leaf.id, 'Leaf work', '1', 500);
    await note(w, leaf.id, 'Leaf note');
    await line(w, mid.id, 'Mid work', '1', 700);
    await note(w, mid.id, 'Mid note');
    await line(w, other.id, 'Other work', '1', 900);
    await complete(w, leaf.id);
    await complete(w, mid.id);
    await complete(w, other.id);
    const described = async (taskId: string) => (await allLines(w, taskId)).map((l: { description: string }) => l.description);
    assert.deepEqual(await described(top.id), ['Mid work', 'Leaf work', 'Other work']);

    const reopened = await move(w, mid.id, 'in_progress');
    assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
    assert.deepEqual(await described(top.id), ['Other work'], "the neighbour's copy stays");
    assert.deepEqual(await described(mid.id), ['Mid work', 'Leaf work'], 'the middle task keeps its own line and what it received');
    const topNotes = await ok(w, 'GET', `/api/v1/tasks/${top.id}/notes`);
    assert.deepEqual(topNotes.items, []);
    assert.equal((await invoice(w, top.id)).totals.subtotalCents, 900);

    await complete(w, mid.id);
    assert.deepEqual(await described(top.id), ['Other work', 'Mid work', 'Leaf work'], 'completed again: copied again');
  });

  it("names the sub-task's assignees on its copies, by name, and none when it has none", async () => {
    const zoe = await ctx.addUser(w.org, 'technician', { name: 'Zoé Tremblay' });
    const alain = await ctx.addUser(w.org, 'technician', { name: 'Alain Roy' });
    const main = await task(w, { title: 'Clôture' });
    const crew = await task(w, { title: 'Poteaux', parentId: main.id, assigneeIds: [zoe.userId, alain.userId] });
    const alone = await task(w, { title: 'Piquets', parentId: main.id });
    await line(w, crew.id, 'Poteaux', '4', 2500);
    await line(w, alone.id, 'Piquets', '10', 300);
    await complete(w, crew.id);
    await complete(w, alone.id);
    const stored = await ctx.deps.db.kysely
      .selectFrom('task_lines')
      .select(['origin_task_id', 'origin_assignees'])
      .where('task_id', '=', main.id)
      .orderBy('position')
      .execute();
    // Stored exactly as before on both stores (compact JSON), so every reader sees the same text.
    assert.deepEqual(stored, [
      {
        origin_task_id: crew.id,
        origin_assignees: JSON.stringify([
          { id: alain.userId, name: 'Alain Roy' },
          { id: zoe.userId, name: 'Zoé Tremblay' },
        ]),
      },
      { origin_task_id: alone.id, origin_assignees: '[]' },
    ]);
  });

  it('passes on its own lines first, then each sub-task’s together, in the order they first came, each in position order', async () => {
    const top = await task(w, { title: 'Toiture' });
    const mid = await task(w, { title: 'Versant nord', parentId: top.id });
    const b = await task(w, { title: 'Bardeaux', parentId: mid.id });
    const a = await task(w, { title: 'Arrachage', parentId: mid.id });
    await line(w, top.id, 'Top propre', '1', 100);
    await line(w, mid.id, 'Mid 1', '1', 100);
    await line(w, a.id, 'A 1', '1', 100);
    await line(w, a.id, 'A 2', '1', 100);
    await line(w, b.id, 'B 1', '1', 100);
    await complete(w, a.id); // mid: Mid 1, A 1, A 2
    await line(w, mid.id, 'Mid 2', '1', 100); // own line after received ones
    await complete(w, b.id); // mid: … Mid 2, B 1
    await complete(w, mid.id);

    const lines = await allLines(w, top.id);
    assert.deepEqual(
      lines.map((l: { description: string }) => l.description),
      ['Top propre', 'Mid 1', 'Mid 2', 'A 1', 'A 2', 'B 1'],
    );
    assert.deepEqual(
      lines.map((l: { position: number }) => l.position),
      [1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual(
      lines.map((l: { source: { taskId: string } | null }) => l.source?.taskId ?? null),
      [null, mid.id, mid.id, a.id, a.id, b.id],
    );
    // Ids follow the order too (time-ordered ids, one per copy).
    const copies = lines.slice(1).map((l: { id: string }) => l.id);
    assert.deepEqual(copies, [...copies].sort());
  });

  it("logs the rule's run in the transition it ran in: on PostgreSQL sent with the COMMIT, no round trip of its own", async () => {
    const main = await task(w, { title: 'Projet journalisé' });
    const sub = await task(w, { title: 'Sous-tâche journalisée', parentId: main.id });
    await line(w, sub.id, 'Ligne', '1', 100);

    // Every message any pg client sends meanwhile (PostgreSQL).
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    if (store === 'postgres') {
      pg.Client.prototype.query = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
        // A statement the connection held goes in the message of the query carrying it (pg-prepared.ts AfterHeld).
        const c = config as { text?: string; held?: { text: string }[] };
        sent.push(typeof config === 'string' ? config : [...(c.held ?? []).map((h) => h.text), c.text ?? ''].join(';\n'));
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

  it("pages through the main task's invoice: each group's subtotal covers all its lines, the first page's totals every line", async () => {
    const main = await task(w, { title: 'Grand projet' });
    await line(w, main.id, 'Mobilisation', '1', 25000);
    for (const [title, cents] of [
      ['Excavation', 14500],
      ['Pavage', 12000],
      ['Bordures', 3850],
    ] as const) {
      const sub = await task(w, { title, parentId: main.id });
      await line(w, sub.id, `${title} 1`, '2', cents);
      await line(w, sub.id, `${title} 2`, '1.5', cents);
      await line(w, sub.id, `${title} 3`, '1', cents);
      await complete(w, sub.id);
    }
    type Group = { source: { taskId: string } | null; subtotalCents: number; lines: { amountCents: number }[] };
    type Page = { groups: Group[]; totals: { subtotalCents: number } | null; nextCursor: string | null };
    const subtotal = { '': 25000, Excavation: 4.5 * 14500, Pavage: 4.5 * 12000, Bordures: 4.5 * 3850 } as Record<string, number>;
    const titleOf = new Map<string, string>(
      (await invoice(w, main.id)).groups.map((g: Group & { source: { title: string } | null }) => [g.source?.taskId ?? '', g.source?.title ?? '']),
    );
    // Groups cut at either edge of a page (2, 3, 4 lines a page), and whole between two others (5, 10).
    for (const limit of [2, 3, 4, 5, 10]) {
      const pages: Page[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = await ok(w, 'GET', `/api/v1/tasks/${main.id}/invoice?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        pages.push(page);
        cursor = page.nextCursor;
      } while (cursor);
      const groups = pages.flatMap((p) => p.groups);
      assert.equal(groups.flatMap((g) => g.lines).length, 10, `limit ${limit}: every line, once`);
      for (const g of groups) assert.equal(g.subtotalCents, subtotal[titleOf.get(g.source?.taskId ?? '')!], `limit ${limit}: ${g.source?.taskId}`);
      assert.equal(pages[0].totals?.subtotalCents, 25000 + 4.5 * (14500 + 12000 + 3850), `limit ${limit}`);
      assert.deepEqual(
        pages.slice(1).map((p) => p.totals),
        pages.slice(1).map(() => null),
        `limit ${limit}: the pages after the first carry no totals`,
      );
    }
  });
});
