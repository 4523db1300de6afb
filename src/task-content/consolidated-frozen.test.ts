import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { billing, complete, enable, line, move, note, ok, task, world, type World } from '../consolidation/testkit.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { upload } from './testkit.ts';

describeEachStore("a consolidated task's notes and files are frozen like its lines", (store) => {
  let ctx: TestContext;
  let w: World;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
  });
  after(() => ctx.close());

  const addNote = (taskId: string) => ctx.call('POST', `/api/v1/tasks/${taskId}/notes`, w.org.token, { body: 'Client absent' });
  const addFile = (taskId: string) => upload(ctx, w.org.token, taskId, 'bon.txt', Buffer.from(`bon ${Math.random()}`), 'text/plain');
  const removeFile = (id: string) => ctx.call('DELETE', `/api/v1/attachments/${id}`, w.org.token);
  const refused = (r: { status: number; body: any }, code: string) => {
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.error.code, code);
  };
  const count = async (table: 'notes' | 'attachments', taskId: string) =>
    Number(
      (
        await ctx.deps.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('task_id', '=', taskId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses adding notes and files to a consolidated sub-task, and removing its files, until it is reopened', async () => {
    await enable(w, w.rules.byProject);
    try {
      const main = await task(w, { title: 'Entrée de garage' });
      const sub = await task(w, { title: 'Excavation', parentId: main.id });
      await line(w, sub.id, 'Excavatrice', '2', 14500);
      await note(w, sub.id, 'Sol argileux');
      const file = await addFile(sub.id);
      assert.equal(file.status, 201);
      await complete(w, sub.id);
      const onMain = { notes: await count('notes', main.id), files: await count('attachments', main.id) };
      assert.deepEqual(onMain, { notes: 1, files: 1 }, 'the note and the file followed');

      refused(await addNote(sub.id), 'task_content_consolidated');
      refused(await addFile(sub.id), 'task_content_consolidated');
      refused(await removeFile(file.body.id), 'task_content_consolidated');
      assert.equal(await count('notes', sub.id), 1);
      assert.equal(await count('attachments', sub.id), 1);
      assert.equal((await addNote(main.id)).status, 201, 'the open main task still takes notes of its own');

      assert.equal((await move(w, sub.id, 'in_progress')).status, 200);
      assert.equal((await addNote(sub.id)).status, 201);
      assert.equal((await addFile(sub.id)).status, 201);
      assert.equal((await removeFile(file.body.id)).status, 204);
      await complete(w, sub.id);
      assert.deepEqual(
        { notes: await count('notes', main.id), files: await count('attachments', main.id) },
        { notes: 3, files: 1 },
        'the new content followed',
      );
    } finally {
      await ok(w, 'POST', `/api/v1/automations/${w.rules.byProject}/disable`);
    }
  });

  it('refuses them on work waiting as unbilled, and on an invoiced task', async () => {
    await enable(w, w.rules.progressive);
    try {
      const b = billing(w);
      const c = await b.client();
      const work = await b.work(c);
      await complete(w, work.id); // no open invoice: pending for the client
      refused(await addNote(work.id), 'task_content_consolidated');
      refused(await addFile(work.id), 'task_content_consolidated');

      const inv = await b.openInvoice(c);
      assert.equal((await addFile(inv.id)).status, 201, 'an open invoice task takes files');
      assert.equal((await move(w, inv.id, 'closed')).status, 200);
      refused(await addNote(inv.id), 'task_invoiced');
      refused(await addFile(inv.id), 'task_invoiced');
    } finally {
      await ok(w, 'POST', `/api/v1/automations/${w.rules.progressive}/disable`);
    }
  });
});
