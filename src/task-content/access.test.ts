import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { multipart, newTask, tinyPng, upload } from './testkit.ts';

describeEachStore('task content across organizations', (store) => {
  let ctx: TestContext;
  let org: Org;
  let stranger: Org;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
    stranger = await ctx.signup();
  });
  after(() => ctx.close());

  it("answers 404 on every content route for another organization's task, and changes nothing", async () => {
    const task = await newTask(ctx, org);
    const line = (await ctx.call('POST', `/api/v1/tasks/${task.id}/lines`, org.token, { description: 'Labour', quantity: '1', unitPriceCents: 100 })).body;
    const note = (await ctx.call('POST', `/api/v1/tasks/${task.id}/notes`, org.token, { body: 'Private' })).body;
    const file = (await upload(ctx, org.token, task.id, 'plan.png', tinyPng())).body;
    const t = `/api/v1/tasks/${task.id}`;
    const a = `/api/v1/attachments/${file.id}`;
    const json: Array<[string, string, unknown, string]> = [
      ['GET', `${t}/lines`, undefined, 'task_not_found'],
      ['POST', `${t}/lines`, { description: 'X', quantity: '1', unitPriceCents: 1 }, 'task_not_found'],
      ['PATCH', `${t}/lines/${line.id}`, { unitPriceCents: 1 }, 'task_not_found'],
      ['DELETE', `${t}/lines/${line.id}`, undefined, 'task_not_found'],
      ['GET', `${t}/notes`, undefined, 'task_not_found'],
      ['POST', `${t}/notes`, { body: 'Hi' }, 'task_not_found'],
      ['GET', `${t}/attachments`, undefined, 'task_not_found'],
      ['GET', a, undefined, 'attachment_not_found'],
      ['GET', `${a}/content`, undefined, 'attachment_not_found'],
      ['DELETE', a, undefined, 'attachment_not_found'],
    ];
    for (const [method, url, body, code] of json) {
      const r = await ctx.call(method as 'GET', url, stranger.token, body);
      assert.equal(r.status, 404, `${method} ${url}`);
      assert.equal(r.body.error.code, code, `${method} ${url}`);
    }
    const up = await upload(ctx, stranger.token, task.id, 'x.png', tinyPng());
    assert.equal(up.status, 404);
    assert.equal(up.body.error.code, 'task_not_found');

    const lines = await ctx.call('GET', `${t}/lines`, org.token);
    assert.deepEqual(
      lines.body.items.map((l: { id: string; amountCents: number }) => [l.id, l.amountCents]),
      [[line.id, 100]],
    );
    const notes = await ctx.call('GET', `${t}/notes`, org.token);
    assert.deepEqual(
      notes.body.items.map((n: { id: string }) => n.id),
      [note.id],
    );
    const files = await ctx.call('GET', `${t}/attachments`, org.token);
    assert.deepEqual(
      files.body.items.map((f: { id: string }) => f.id),
      [file.id],
    );
  });

  it('requires authentication on every content route', async () => {
    const task = await newTask(ctx, org);
    const { payload, headers } = multipart('a.png', tinyPng());
    const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/tasks/${task.id}/attachments`, headers, payload });
    assert.equal(res.statusCode, 401);
    for (const url of [`/api/v1/tasks/${task.id}/lines`, `/api/v1/tasks/${task.id}/notes`, `/api/v1/tasks/${task.id}/attachments`]) {
      assert.equal((await ctx.call('GET', url)).status, 401, url);
    }
  });

  it('documents every content route in /openapi.json', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/v1/tasks/{id}/lines',
      '/api/v1/tasks/{id}/lines/{lineId}',
      '/api/v1/tasks/{id}/notes',
      '/api/v1/tasks/{id}/attachments',
      '/api/v1/attachments/{id}',
      '/api/v1/attachments/{id}/content',
    ]) {
      assert.ok(paths.includes(p), p);
    }
    assert.ok(doc.paths['/api/v1/tasks/{id}/attachments'].post.requestBody.content['multipart/form-data']);
    assert.ok(doc.paths['/api/v1/tasks/{id}/lines'].get.responses['200'].content['application/json'].schema.properties.items);
  });
});
