import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { issueCredential } from '../accounts/credentials.ts';
import { multipart } from '../task-content/testkit.ts';
import { describeEachStore, fixedClock, testContext, type Org, type Reply, type TestContext } from '../testing/harness.ts';
import { ownedRows, populate, QUERY_OBJECTS, sampleBody, type Objects } from './isolation-world.ts';

interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  op: string;
  params: string[];
  query: string[];
  body: 'json' | 'multipart' | null;
}

/** Every authenticated operation of the OpenAPI document. */
function operations(doc: any): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [m, op] of Object.entries<any>(ops)) {
      if (Array.isArray(op.security) && op.security.length === 0) continue; // public: signup, login
      const content = Object.keys(op.requestBody?.content ?? {});
      out.push({
        method: m.toUpperCase() as Operation['method'],
        path,
        op: `${m.toUpperCase()} ${path}`,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((x) => x[1]),
        query: (op.parameters ?? []).filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name),
        body: content.includes('application/json') ? 'json' : content.includes('multipart/form-data') ? 'multipart' : null,
      });
    }
  }
  return out;
}

/** The URL with each {param} replaced by the object of the collection named just before it. */
function urlFor(o: Operation, objects: (param: string, collection: string, index: number) => string | undefined): string | undefined {
  let index = 0;
  let missing = false;
  const url = o.path.replace(/([^/]+)\/\{(\w+)\}/g, (_m, collection: string, param: string) => {
    const id = objects(param, collection, index++);
    if (!id) missing = true;
    return `${collection}/${id}`;
  });
  return missing ? undefined : url;
}

describeEachStore('isolation between organizations', (store) => {
  let ctx: TestContext;
  let a: Org;
  let b: Org;
  let ofA: Objects;
  let ofB: Objects;
  let ops: Operation[];

  before(async () => {
    ctx = await testContext(store, { clock: fixedClock('2026-03-16T15:00:00.000Z') });
    a = await ctx.signup();
    b = await ctx.signup();
    ofA = await populate(ctx, a);
    ofB = await populate(ctx, b);
    ops = operations((await ctx.call('GET', '/openapi.json')).body);
  });
  after(() => ctx.close());

  const idOf = (objects: Objects, collection: string, op: string) => {
    const id = objects[collection];
    assert.ok(id, `the isolation test does not know which object a parameter after /${collection}/ is (${op}): add one to populate()`);
    return id;
  };
  /** A fresh credential of B for each call, so that logging out or revoking does not stop the test. */
  const asB = async () => (await issueCredential(ctx.deps.db.kysely, { orgId: b.orgId, userId: b.userId, kind: 'token', now: ctx.deps.clock.now() })).secret;
  const send = async (o: Operation, url: string, token: string): Promise<Reply> => {
    if (o.body === 'multipart') {
      const file = multipart('probe.txt', Buffer.from('probe'), 'text/plain');
      return ctx.call(o.method, url, token, file.payload, file.headers);
    }
    return ctx.call(o.method, url, token, o.body === 'json' ? sampleBody(o.op, ofA) : undefined);
  };
  const aIds = () => Object.values(ofA);
  const leaked = (text: string) => aIds().filter((id) => text.includes(id));

  /** What A sees through every GET route, on each of its objects. */
  const viewOfA = async () => {
    const view: Record<string, unknown> = {};
    for (const o of ops.filter((x) => x.method === 'GET')) {
      const url = urlFor(o, (_p, collection) => idOf(ofA, collection, o.op))!;
      const r = await ctx.call('GET', url, a.token);
      view[url] = String(r.headers['content-type']).includes('json') ? [r.status, r.body] : [r.status, r.headers['content-type']];
    }
    return view;
  };

  it('answers 404 to every route reaching another organization’s object, and changes nothing of it', async () => {
    const before = { view: await viewOfA(), rows: await ownedRows(ctx, a.orgId) };
    const checked: string[] = [];
    for (const o of ops.filter((x) => x.params.length > 0)) {
      // All of A's objects; then, for nested routes, B's own parent with A's object last.
      const variants = [urlFor(o, (_p, c) => idOf(ofA, c, o.op))];
      if (o.params.length > 1) variants.push(urlFor(o, (_p, c, i) => (i === o.params.length - 1 ? idOf(ofA, c, o.op) : idOf(ofB, c, o.op))));
      for (const url of variants) {
        const r = await send(o, url!, await asB());
        assert.equal(r.status, 404, `${o.method} ${url} as another organization → ${r.status} ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.type, 'not_found', `${o.op}`);
        checked.push(o.op);
      }
    }
    assert.ok(checked.length >= 30, `${checked.length} calls`);
    assert.deepEqual(await viewOfA(), before.view, 'what A sees is unchanged');
    assert.deepEqual(await ownedRows(ctx, a.orgId), before.rows, 'A’s rows are unchanged');
  });

  it('never shows another organization’s objects in lists, even when filtered by their ids', async () => {
    let checked = 0;
    for (const o of ops.filter((x) => x.method === 'GET' && x.params.length === 0)) {
      const filters = o.query.filter((q) => q in QUERY_OBJECTS);
      const urls = [o.path, ...filters.map((q) => `${o.path}?${q}=${ofA[QUERY_OBJECTS[q]]}`)];
      for (const url of urls) {
        const r = await ctx.call('GET', url, await asB());
        assert.ok(r.status < 500, `${url} → ${r.status}`);
        if (r.status < 300) assert.deepEqual(leaked(JSON.stringify(r.body)), [], `GET ${url} shows A’s objects`);
        checked += 1;
      }
    }
    assert.ok(checked >= 10, `${checked} lists`);
    const mine = await ctx.call('GET', '/api/v1/tasks', b.token);
    assert.ok(mine.body.items.length > 0, 'B still sees its own tasks');
  });

  it('refuses creating anything that refers to another organization’s objects, and writes nothing into it', async () => {
    const before = await ownedRows(ctx, a.orgId);
    for (const o of ops.filter((x) => x.method !== 'GET' && x.params.length === 0)) {
      const r = await send(o, o.path, await asB());
      assert.ok(r.status < 500, `${o.op} → ${r.status} ${JSON.stringify(r.body)}`);
      if (r.status < 300) assert.deepEqual(leaked(JSON.stringify(r.body)), [], `${o.op} accepted A’s objects: ${JSON.stringify(r.body)}`);
    }
    const probe = await ctx.call('POST', '/api/v1/tasks', b.token, sampleBody('POST /api/v1/tasks', ofA));
    assert.equal(probe.status, 400, 'a task cannot use another organization’s type, client, parent or assignee');
    assert.deepEqual(await ownedRows(ctx, a.orgId), before);
    const rowsOfB = await ownedRows(ctx, b.orgId);
    for (const [table, rows] of Object.entries(rowsOfB)) {
      assert.deepEqual(
        rows.flatMap((row) => leaked(row)),
        [],
        `a row of B in ${table} refers to A`,
      );
    }
  });
});
