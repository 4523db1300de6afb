import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { typeIds } from '../testing/defaults.ts';

describeEachStore('error answers', (store) => {
  let ctx: TestContext;
  let org: Org;
  let workTypeId: string;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
    workTypeId = (await typeIds(ctx, org)).work;
  });
  after(() => ctx.close());

  const counts = async () => {
    const db = ctx.deps.db.kysely;
    const [tasks, clients] = await Promise.all([db.selectFrom('tasks').select('id').execute(), db.selectFrom('clients').select('id').execute()]);
    return { tasks: tasks.length, clients: clients.length };
  };
  const raw = (method: 'POST' | 'PATCH', url: string, payload: string, contentType = 'application/json') =>
    ctx.app.inject({ method, url, payload, headers: { authorization: `Bearer ${org.token}`, 'content-type': contentType } });
  /** Every error has the one shape. */
  const assertError = (body: any, code: string) => {
    assert.deepEqual(Object.keys(body), ['error']);
    assert.deepEqual(Object.keys(body.error).sort(), ['code', 'details', 'message', 'type']);
    assert.equal(body.error.code, code);
    assert.equal(typeof body.error.message, 'string');
  };

  it('answers 400 malformed_json for a body that is not JSON, or empty, writing nothing', async () => {
    const before = await counts();
    for (const payload of ['{"typeId": ', '{title: "x"}', "{'a': 1}", '']) {
      const res = await raw('POST', '/api/v1/tasks', payload);
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assertError(res.json(), 'malformed_json');
    }
    assert.deepEqual(await counts(), before);
  });

  it('answers 400 validation_failed naming each unknown field by its path, writing nothing', async () => {
    const before = await counts();
    const r = await ctx.call('POST', '/api/v1/clients', org.token, { name: 'Colourful', colour: 'red' });
    assert.equal(r.status, 400);
    assertError(r.body, 'validation_failed');
    assert.equal(r.body.error.details.fields[0].path, 'body.colour');
    assert.equal(r.body.error.details.fields[0].code, 'unrecognized_keys');
    assert.match(r.body.error.message, /body\.colour/);
    const nested = await ctx.call('POST', '/api/v1/tasks', org.token, {
      typeId: workTypeId,
      title: 'Nested',
      siteAddress: { line1: '1 rue A', city: 'Laval', colour: 'red', floor: 2 },
    });
    assert.equal(nested.status, 400);
    assert.deepEqual(nested.body.error.details.fields.map((f: { path: string }) => f.path).sort(), ['body.siteAddress.colour', 'body.siteAddress.floor']);
    assert.deepEqual(await counts(), before);
  });

  it('names the field of a value of the wrong type, and every failing field at once', async () => {
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: 'nope', title: 42, assigneeIds: ['x'] });
    assert.equal(r.status, 400);
    const paths = r.body.error.details.fields.map((f: { path: string }) => f.path).sort();
    assert.deepEqual(paths, ['body.assigneeIds.0', 'body.title', 'body.typeId']);
    const p = await ctx.call('GET', '/api/v1/tasks/not-a-uuid', org.token);
    assert.equal(p.status, 400);
    assert.equal(p.body.error.details.fields[0].path, 'params.id');
  });

  it('answers 404 route_not_found for an unknown route or method, authenticated or not', async () => {
    for (const [method, url, token] of [
      ['GET', '/api/v1/nowhere', org.token],
      ['GET', '/api/v1/nowhere', undefined],
      ['DELETE', '/api/v1/tasks', org.token],
      ['GET', '/api/nowhere?x=1', undefined], // outside /api/, an unknown GET opens the web app (web-app.test.ts)
    ] as const) {
      const r = await ctx.call(method, url, token);
      assert.equal(r.status, 404, `${method} ${url}`);
      assertError(r.body, 'route_not_found');
      assert.equal(r.body.error.type, 'not_found');
      assert.doesNotMatch(r.body.error.message, /\?/, 'the query is not echoed');
    }
  });

  it('answers 401 without credentials and with a malformed Authorization header', async () => {
    assertError((await ctx.call('GET', '/api/v1/tasks')).body, 'unauthenticated');
    const basic = await ctx.call('GET', '/api/v1/tasks', undefined, undefined, { authorization: 'Basic dXNlcjpwYXNz' });
    assert.equal(basic.status, 401);
    const bogus = await ctx.call('GET', '/api/v1/tasks', 'cht_not-a-real-token');
    assert.equal(bogus.status, 401);
    assertError(bogus.body, 'invalid_credentials');
  });

  it('answers 400 for a body that is neither JSON nor multipart', async () => {
    const before = await counts();
    const res = await raw('POST', '/api/v1/clients', 'name=x', 'application/x-www-form-urlencoded');
    assert.equal(res.statusCode, 400);
    assertError(res.json(), 'unsupported_media_type');
    assert.deepEqual(await counts(), before);
  });

  it('answers an unexpected failure with a generic 500 that leaks nothing', async () => {
    const original = ctx.deps.transitionHooks.slice();
    ctx.deps.transitionHooks.push(async () => {
      throw new Error('secret detail: select password_hash from users');
    });
    try {
      const t = (await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Boom' })).body;
      const r = await ctx.call('POST', `/api/v1/tasks/${t.id}/transitions`, org.token, { to: 'in_progress' });
      assert.equal(r.status, 500);
      assertError(r.body, 'internal_error');
      assert.doesNotMatch(JSON.stringify(r.body), /secret detail|select|stack/i);
    } finally {
      ctx.deps.transitionHooks.splice(0, ctx.deps.transitionHooks.length, ...original);
    }
  });
});
