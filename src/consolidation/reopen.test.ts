import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { tinyPng, upload } from '../task-content/testkit.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { allLines, complete, enable, invoice, line, move, note, ok, task, world, type World } from './testkit.ts';

describeEachStore('consolidated content: read-only copies, reversible completion', (store) => {
  let ctx: TestContext;
  let w: World;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    await enable(w, w.rules.byProject);
  });
  after(() => ctx.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => ctx.call(method, `/api/v1${url}`, w.org.token, body);
  const download = (id: string) =>
    ctx.app.inject({ method: 'GET', url: `/api/v1/attachments/${id}/content`, headers: { authorization: `Bearer ${w.org.token}` } });
  const rows = (table: 'task_lines' | 'attachments' | 'notes', taskId: string) =>
    ctx.deps.db.kysely.selectFrom(table).selectAll().where('task_id', '=', taskId).orderBy('id').execute();

  /** A main task and a sub-task with a line, a photo and a note, completed. */
  async function consolidated(title = 'Pavage') {
    const main = await task(w, { title: `Projet ${title}` });
    const sub = await task(w, { title, parentId: main.id });
    const l = await line(w, sub.id, 'Asphalte', '2.5', 12000);
    const photo = await upload(ctx, w.org.token, sub.id, 'photo.png', tinyPng());
    assert.equal(photo.status, 201);
    await note(w, sub.id, 'Deux couches');
    await complete(w, sub.id);
    const [copy] = await allLines(w, main.id);
    return { main, sub, line: l, photo: photo.body, copy };
  }

  it('refuses to change the lines of a completed task (409 task_closed) and changes nothing', async () => {
    const { main, sub, line: l } = await consolidated();
    for (const [method, url, body] of [
      ['PATCH', `/tasks/${sub.id}/lines/${l.id}`, { quantity: '9' }],
      ['DELETE', `/tasks/${sub.id}/lines/${l.id}`],
      ['POST', `/tasks/${sub.id}/lines`, { description: 'Extra', quantity: '1', unitPriceCents: 100 }],
    ] as const) {
      const r = await call(method, url, body);
      assert.equal(r.status, 409, `${method} ${url}`);
      assert.equal(r.body.error.code, 'task_closed');
    }
    assert.deepEqual(await allLines(w, sub.id), [l]);
    assert.equal((await invoice(w, main.id)).totals.subtotalCents, 30000);
  });

  it('refuses to edit or delete a consolidated copy on the open main task (409 consolidated_line_read_only)', async () => {
    const { main, copy } = await consolidated();
    const own = await line(w, main.id, 'Frais de gestion', '1', 5000);
    const patch = await call('PATCH', `/tasks/${main.id}/lines/${copy.id}`, { unitPriceCents: 1 });
    assert.equal(patch.status, 409, JSON.stringify(patch.body));
    assert.equal(patch.body.error.code, 'consolidated_line_read_only');
    const del = await call('DELETE', `/tasks/${main.id}/lines/${copy.id}`);
    assert.equal(del.status, 409);
    assert.equal(del.body.error.code, 'consolidated_line_read_only');
    const lines = await allLines(w, main.id);
    assert.deepEqual(
      lines.find((x: { id: string }) => x.id === copy.id),
      copy,
    );
    // The main task's own lines stay editable.
    assert.equal((await call('PATCH', `/tasks/${main.id}/lines/${own.id}`, { quantity: '2' })).status, 200);
    assert.equal((await invoice(w, main.id)).totals.subtotalCents, 30000 + 10000);
  });

  it('copies attachments by reference to the same bytes, shown as "{task.number} – {file.name}"', async () => {
    const { main, sub, photo } = await consolidated();
    const [copy] = await rows('attachments', main.id);
    assert.notEqual(copy.id, photo.id);
    assert.equal(copy.source_id, photo.id);
    assert.equal(copy.display_name, `${sub.displayNumber} – photo.png`);
    assert.equal(copy.origin_task_id, sub.id);
    const [original, copied] = await Promise.all([download(photo.id), download(copy.id)]);
    assert.equal(copied.statusCode, 200);
    assert.ok(copied.rawPayload.equals(original.rawPayload));
    assert.ok(copied.rawPayload.equals(tinyPng()));
    const listed = (await ok(w, 'GET', `/api/v1/tasks/${main.id}/attachments`)).items;
    assert.deepEqual(
      listed.map((a: { id: string }) => a.id),
      [copy.id],
    );
    const blobs = await ctx.deps.db.kysely.selectFrom('blobs').select('hash').where('hash', '=', copy.blob_hash).execute();
    assert.equal(blobs.length, 1);
  });

  it('refuses to delete a consolidated attachment copy (409 consolidated_attachment_read_only)', async () => {
    const { main } = await consolidated();
    const [copy] = await rows('attachments', main.id);
    const r = await call('DELETE', `/attachments/${copy.id}`);
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'consolidated_attachment_read_only');
    assert.deepEqual(
      (await rows('attachments', main.id)).map((a) => a.id),
      [copy.id],
    );
    assert.equal((await download(copy.id)).statusCode, 200);
  });

  it("names consolidated attachments with the rule's own pattern", async () => {
    const custom = await ok(w, 'POST', '/api/v1/automations', {
      name: 'Consolidate with titles',
      enabled: true,
      trigger: { type: 'status_entered', category: 'done' },
      conditions: { hasParent: true },
      actions: [{ type: 'consolidate', target: 'parent', attachmentNamePattern: '{task.title} / {task.number} / {file.name}' }],
    });
    await ok(w, 'POST', `/api/v1/automations/${w.rules.byProject}/disable`);
    try {
      const { main, sub } = await consolidated('Drain');
      const [copy] = await rows('attachments', main.id);
      assert.equal(copy.display_name, `Drain _ ${sub.displayNumber} _ photo.png`);
    } finally {
      await ok(w, 'POST', `/api/v1/automations/${custom.id}/disable`);
      await enable(w, w.rules.byProject);
    }
  });

  it('takes lines, attachments and notes back on reopen, and consolidates the edited content when completed again', async () => {
    const { main, sub, line: l, photo } = await consolidated();
    const firstCopies = (await rows('task_lines', main.id)).map((r) => r.id);
    const reopened = await move(w, sub.id, 'in_progress');
    assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
    for (const table of ['task_lines', 'attachments', 'notes'] as const) assert.deepEqual(await rows(table, main.id), [], table);
    assert.equal((await invoice(w, main.id)).totals.subtotalCents, 0);
    assert.equal((await download(photo.id)).statusCode, 200, "the original's bytes stay");

    await ok(w, 'PATCH', `/api/v1/tasks/${sub.id}/lines/${l.id}`, { quantity: '3' });
    await line(w, sub.id, 'Scellant', '1', 2500);
    await complete(w, sub.id);
    const again = await rows('task_lines', main.id);
    assert.deepEqual(
      again.map((r) => r.amount_cents),
      [36000, 2500],
    );
    assert.ok(again.every((r) => !firstCopies.includes(r.id)));
    assert.equal((await rows('attachments', main.id)).length, 1);
    assert.equal((await rows('notes', main.id)).length, 1);
    const view = await invoice(w, main.id);
    assert.deepEqual([view.groups.length, view.groups[0].source.taskId, view.totals.subtotalCents], [1, sub.id, 38500]);
    const states = await ctx.deps.db.kysely.selectFrom('consolidations').select('state').where('source_task_id', '=', sub.id).orderBy('id').execute();
    assert.deepEqual(
      states.map((s) => s.state),
      ['retracted', 'active'],
    );
  });

  it('either refuses the reopen or takes the lines back when the main task completes at the same moment', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 10; round++) {
      const { main, sub, line: l } = await consolidated(`Course ${round}`);
      const [closing, reopening] = await Promise.all([move(w, main.id, 'completed'), move(w, sub.id, 'in_progress')]);
      assert.equal(closing.status, 200, JSON.stringify(closing.body));
      const held = (await rows('task_lines', main.id)).map((r) => r.source_id);
      if (reopening.status === 200) {
        assert.deepEqual(held, [], `round ${round}: reopened, yet its lines stayed on the closed main task`);
        assert.equal((await ok(w, 'GET', `/api/v1/tasks/${sub.id}`)).status, 'in_progress');
      } else {
        assert.equal(reopening.body.error.code, 'consolidated_into_closed_task', `round ${round}`);
        assert.deepEqual(held, [l.id], `round ${round}`);
        assert.equal((await ok(w, 'GET', `/api/v1/tasks/${sub.id}`)).status, 'completed');
      }
    }
  });

  it('shows where consolidated content comes from: invoice groups, and each line, note and attachment', async () => {
    const { main, sub, copy, photo } = await consolidated();
    const view = await invoice(w, main.id);
    assert.deepEqual([view.groups[0].source.taskId, view.groups[0].source.number, view.groups[0].lines[0].id], [sub.id, sub.displayNumber, copy.id]);
    const [noteCopy] = (await ok(w, 'GET', `/api/v1/tasks/${main.id}/notes`)).items;
    const [fileCopy] = (await ok(w, 'GET', `/api/v1/tasks/${main.id}/attachments`)).items;
    for (const dto of [copy, noteCopy, fileCopy]) {
      assert.deepEqual([dto.source?.taskId, dto.source?.number, dto.source?.title], [sub.id, sub.displayNumber, 'Pavage']);
    }
    assert.equal(fileCopy.fileName, 'photo.png');
    assert.equal(fileCopy.displayName, `${sub.displayNumber} – photo.png`);
    // The sub-task's own content carries no provenance.
    assert.equal((await ok(w, 'GET', `/api/v1/attachments/${photo.id}`)).source, null);
    assert.equal((await allLines(w, sub.id))[0].source, null);
  });
});
