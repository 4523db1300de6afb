import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { typeIds } from '../testing/defaults.ts';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { multipart } from './testkit.ts';

describeEachStore('malformed multipart uploads', (store) => {
  let ctx: TestContext;
  let org: Org;
  let url: string;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
    const task = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: (await typeIds(ctx, org)).work, title: 'Site visit' });
    url = `/api/v1/tasks/${task.body.id}/attachments`;
  });
  after(() => ctx.close());

  const attachments = async () => (await ctx.deps.db.kysely.selectFrom('attachments').select('id').where('org_id', '=', org.orgId).execute()).length;
  const tempFiles = () => {
    try {
      return readdirSync(join(ctx.deps.config.filesDir, 'tmp'));
    } catch {
      return [];
    }
  };

  const good = () => multipart('report.txt', Buffer.from('x'.repeat(4096)), 'text/plain');
  const cases: Record<string, () => { payload: Buffer; headers: Record<string, string> }> = {
    'a body cut off in the middle of the file': () => {
      const f = good();
      return { payload: f.payload.subarray(0, 2000), headers: f.headers };
    },
    'a body cut off in the part headers': () => {
      const f = good();
      return { payload: f.payload.subarray(0, 40), headers: f.headers };
    },
    'a Content-Type without a boundary': () => ({ payload: good().payload, headers: { 'content-type': 'multipart/form-data' } }),
    'a boundary that the body does not use': () => ({ payload: good().payload, headers: { 'content-type': 'multipart/form-data; boundary=nothere' } }),
    'a body that is not multipart at all': () => ({ payload: Buffer.from('{"file":"hello"}'), headers: good().headers }),
  };

  for (const [name, make] of Object.entries(cases)) {
    it(`answers 400 malformed_multipart to ${name}, storing nothing`, async () => {
      const before = await attachments();
      const { payload, headers } = make();
      const r = await ctx.call('POST', url, org.token, payload, headers);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'malformed_multipart');
      assert.equal(await attachments(), before);
      assert.deepEqual(tempFiles(), [], 'no half-written file is left behind');
    });
  }

  it('still takes a well-formed upload', async () => {
    const f = good();
    const r = await ctx.call('POST', url, org.token, f.payload, f.headers);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.size, 4096);
  });
});
