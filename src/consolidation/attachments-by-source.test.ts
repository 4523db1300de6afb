import assert from 'node:assert/strict';
import { parse as parseContentDisposition } from 'content-disposition';
import { after, before, it } from 'node:test';
import { tinyPng, upload } from '../task-content/testkit.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { complete, enable, ok, task, world, type World } from './testkit.ts';

describeEachStore('consolidated attachments listed by source task', (store) => {
  let ctx: TestContext;
  let w: World;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    await enable(w, w.rules.byProject);
  });
  after(() => ctx.close());

  it('lists the main task’s own files first, then each sub-task’s, named after the sub-task, across pages', async () => {
    const main = await task(w, { title: 'Projet' });
    const first = await task(w, { title: 'Excavation', parentId: main.id });
    const second = await task(w, { title: 'Pavage', parentId: main.id });
    const up = async (taskId: string, name: string) => {
      const r = await upload(ctx, w.org.token, taskId, name, tinyPng());
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };
    await up(second.id, 'asphalte.png');
    await up(first.id, 'tranchée.png');
    await up(first.id, 'gravier.png');
    await up(main.id, 'plan.png');
    await complete(w, second.id);
    await complete(w, first.id);

    const seen: { name: string; source: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const page = await ok(w, 'GET', `/api/v1/tasks/${main.id}/attachments?groupBy=source&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(
        ...page.items.map((a: { displayName: string; source: { taskId: string } | null }) => ({ name: a.displayName, source: a.source?.taskId ?? null })),
      );
      cursor = page.nextCursor;
    } while (cursor);

    assert.deepEqual(seen, [
      { name: 'plan.png', source: null },
      { name: `${first.displayNumber} – tranchée.png`, source: first.id },
      { name: `${first.displayNumber} – gravier.png`, source: first.id },
      { name: `${second.displayNumber} – asphalte.png`, source: second.id },
    ]);
    const plain = await ok(w, 'GET', `/api/v1/tasks/${main.id}/attachments`);
    assert.deepEqual(plain.items.map((a: { displayName: string }) => a.displayName)[0], 'plan.png');
  });

  it('downloads a consolidated file under its displayed name, with the sub-task number, from the main task and from the sub-task', async () => {
    const main = await task(w, { title: 'Projet' });
    const sub = await task(w, { title: 'Excavation', parentId: main.id });
    const own = await upload(ctx, w.org.token, sub.id, 'bon-de-travail.png', tinyPng());
    assert.equal(own.status, 201, JSON.stringify(own.body));
    await complete(w, sub.id);
    const copies = await ok(w, 'GET', `/api/v1/tasks/${main.id}/attachments`);
    const copy = copies.items.find((a: { source: { taskId: string } | null }) => a.source?.taskId === sub.id);
    const shown = `${sub.displayNumber} – bon-de-travail.png`;
    assert.equal(copy.displayName, shown);

    const download = async (url: string, utf8 = false) => {
      const res = await ctx.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${w.org.token}` } });
      assert.equal(res.statusCode, 200);
      const header = String(res.headers['content-disposition']);
      if (utf8) assert.match(header, /; filename\*=UTF-8''/, header); // the en dash needs the UTF-8 form
      return parseContentDisposition(header).parameters.filename;
    };
    assert.equal(await download(copy.contentUrl, true), shown);
    // The sub-task's own file keeps the name it was uploaded with.
    assert.equal(await download(own.body.contentUrl), 'bon-de-travail.png');
  });
});
