import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { filesUnder, newTask, tinyPng, upload } from './testkit.ts';

describeEachStore('task attachments', (store) => {
  let ctx: TestContext;
  let org: Org;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
  });
  after(() => ctx.close());

  const download = (url: string, token = org.token) => ctx.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('stores a real PNG sent as text/plain as an image/png photo and serves it back byte for byte', async () => {
    const task = await newTask(ctx, org);
    const png = tinyPng();
    const r = await upload(ctx, org.token, task.id, '../../évier "cuisine".png', png, 'text/plain');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual([r.body.mediaType, r.body.kind, r.body.size, r.body.fileName], ['image/png', 'photo', png.length, 'évier "cuisine".png']);
    assert.equal(r.body.contentUrl, `/api/v1/attachments/${r.body.id}/content`);
    const res = await download(r.body.contentUrl);
    assert.equal(res.statusCode, 200);
    assert.ok(res.rawPayload.equals(png));
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal(res.headers['content-length'], String(png.length));
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    const cd = String(res.headers['content-disposition']);
    assert.equal(cd, `inline; filename="evier _cuisine_.png"; filename*=UTF-8''%C3%A9vier%20%22cuisine%22.png`);
    assert.match(cd, /^[\x20-\x7e]+$/); // one ASCII line: nothing can break out of the header
    assert.equal(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(cd)![1]), 'évier "cuisine".png');
    const meta = await ctx.call('GET', `/api/v1/attachments/${r.body.id}`, org.token);
    assert.deepEqual(meta.body, r.body);
  });

  it('never serves HTML or SVG inline, whatever the client called it', async () => {
    const task = await newTask(ctx, org);
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const [name, bytes, type] of [
      ['page.html', html, 'text/html'],
      ['logo.svg', svg, 'image/svg+xml'],
    ] as const) {
      const r = await upload(ctx, org.token, task.id, name, bytes, type);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.notEqual(r.body.mediaType, 'text/html');
      const res = await download(r.body.contentUrl);
      assert.ok(res.rawPayload.equals(bytes));
      assert.match(String(res.headers['content-disposition']), /^attachment; /, name);
      assert.doesNotMatch(String(res.headers['content-type']), /html/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    }
  });

  it('shares one blob between identical uploads and keeps it when one attachment is deleted', async () => {
    const task = await newTask(ctx, org);
    const bytes = Buffer.from('%PDF-1.4\n% same bytes twice\n');
    const a = (await upload(ctx, org.token, task.id, 'a.pdf', bytes)).body;
    const b = (await upload(ctx, org.token, task.id, 'b.pdf', bytes)).body;
    assert.equal(a.mediaType, 'application/pdf');
    assert.equal(a.kind, 'document');
    const blobs = await ctx.deps.db.kysely.selectFrom('attachments').select('blob_hash').where('id', 'in', [a.id, b.id]).execute();
    assert.equal(new Set(blobs.map((x) => x.blob_hash)).size, 1);
    assert.equal((await ctx.call('DELETE', `/api/v1/attachments/${a.id}`, org.token)).status, 204);
    assert.equal((await ctx.call('GET', `/api/v1/attachments/${a.id}`, org.token)).body.error.code, 'attachment_not_found');
    const res = await download(b.contentUrl);
    assert.ok(res.rawPayload.equals(bytes));
    const list = await ctx.call('GET', `/api/v1/tasks/${task.id}/attachments`, org.token);
    assert.deepEqual(
      list.body.items.map((x: { id: string }) => x.id),
      [b.id],
    );
  });

  it('answers 400 when no file is sent, and writes nothing', async () => {
    const task = await newTask(ctx, org);
    const json = await ctx.call('POST', `/api/v1/tasks/${task.id}/attachments`, org.token, { file: 'x' });
    assert.equal(json.status, 400);
    const boundary = 'xyz';
    const fieldOnly = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/tasks/${task.id}/attachments`,
      headers: { authorization: `Bearer ${org.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`,
    });
    assert.equal(fieldOnly.statusCode, 400);
    assert.equal(fieldOnly.json().error.code, 'file_missing');
    assert.deepEqual((await ctx.call('GET', `/api/v1/tasks/${task.id}/attachments`, org.token)).body.items, []);
  });

  it('lets a technician see and add attachments only on tasks assigned to them', async () => {
    const tech = await ctx.addUser(org, 'technician');
    const mine = await newTask(ctx, org, { assigneeIds: [tech.userId] });
    const other = await newTask(ctx, org);
    const theirs = (await upload(ctx, org.token, other.id, 'plan.png', tinyPng())).body;
    assert.equal((await upload(ctx, tech.token, mine.id, 'site.png', tinyPng())).status, 201);
    assert.equal((await upload(ctx, tech.token, other.id, 'x.png', tinyPng())).status, 404);
    assert.equal((await ctx.call('GET', `/api/v1/tasks/${other.id}/attachments`, tech.token)).status, 404);
    const meta = await ctx.call('GET', `/api/v1/attachments/${theirs.id}`, tech.token);
    assert.equal(meta.status, 404);
    assert.equal(meta.body.error.code, 'attachment_not_found');
    assert.equal((await download(theirs.contentUrl, tech.token)).statusCode, 404);
    assert.equal((await ctx.call('GET', `/api/v1/tasks/${other.id}/attachments`, org.token)).body.items.length, 1);
  });
});

describeEachStore('task attachments over the upload limit', (store) => {
  let ctx: TestContext;
  let org: Org;

  before(async () => {
    ctx = await testContext(store, { config: { maxUploadBytes: 1024 } });
    org = await ctx.signup();
  });
  after(() => ctx.close());

  it('answers 413 file_too_large and leaves no attachment, blob or temp file behind', async () => {
    const task = await newTask(ctx, org);
    const r = await upload(ctx, org.token, task.id, 'big.bin', Buffer.alloc(5000, 7));
    assert.equal(r.status, 413, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'file_too_large');
    const just = await upload(ctx, org.token, task.id, 'edge.bin', Buffer.alloc(1025, 1));
    assert.equal(just.status, 413);
    assert.deepEqual((await ctx.call('GET', `/api/v1/tasks/${task.id}/attachments`, org.token)).body.items, []);
    assert.deepEqual(await ctx.deps.db.kysely.selectFrom('blobs').selectAll().execute(), []);
    assert.deepEqual(filesUnder(ctx.deps.config.filesDir), []);
  });

  it('accepts a file of exactly the limit', async () => {
    const task = await newTask(ctx, org);
    const r = await upload(ctx, org.token, task.id, 'edge.bin', Buffer.alloc(1024, 1));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.size, 1024);
  });
});
