import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';

// The web app's files (/assets/*) are not API routes; Fastify's tree prints that route as a bare `*`.
const HIDDEN = [/^\/docs/, /^\/healthz$/, /^\/openapi\.json$/, /^\/assets\//, /^\*$/];

/** "METHOD /path/{param}" for every route Fastify serves, read from its route tree. */
function servedRoutes(tree: string): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)(?:[└├]── )?(\S.*?) \(([A-Z, ]+)\)$/.exec(line) ?? /^([│ ]*)(?:[└├]── )?(\S.*)$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) {
      out.push(`${method} ${stack.join('').replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return out;
}

describeEachStore('API documentation and health', (store) => {
  let ctx: TestContext;
  before(async () => {
    ctx = await testContext(store);
  });
  after(() => ctx.close());

  it('documents in /openapi.json every route the server serves, and nothing else', async () => {
    const r = await ctx.call('GET', '/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi, '3.1.0');
    const documented = Object.entries<Record<string, unknown>>(r.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const served = servedRoutes(ctx.app.printRoutes({ commonPrefix: false })).filter((x) => !HIDDEN.some((h) => h.test(x.split(' ')[1])));
    assert.ok(served.includes('POST /api/v1/tasks/{id}/transitions'), 'the route tree was read');
    assert.ok(served.length >= 25, `${served.length} routes read`);
    assert.deepEqual([...documented].sort(), [...served].sort());
  });

  it('describes how to authenticate, and each operation with a summary, a tag and its answers', async () => {
    const doc = (await ctx.call('GET', '/openapi.json')).body;
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['bearer', 'session']);
    assert.equal(doc.components.securitySchemes.bearer.scheme, 'bearer');
    assert.equal(doc.components.securitySchemes.session.in, 'cookie');
    assert.equal(doc.components.securitySchemes.session.name, 'chantier_session');
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const where = `${method} ${path}`;
        assert.ok(op.summary, `${where} has a summary`);
        assert.ok(op.tags?.length, `${where} has a tag`);
        assert.ok(
          Object.keys(op.responses).some((s) => s.startsWith('2')),
          `${where} documents its success`,
        );
      }
    }
  });

  it('refuses every route that is not marked public without credentials (401)', async () => {
    const doc = (await ctx.call('GET', '/openapi.json')).body;
    const publicOps: string[] = [];
    let checked = 0;
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (Array.isArray(op.security) && op.security.length === 0) {
          publicOps.push(where);
          continue;
        }
        const url = path.replace(/\{\w+\}/g, '01900000-0000-7000-8000-000000000000');
        const r = await ctx.call(method.toUpperCase() as 'GET', url, undefined, ['post', 'patch', 'put'].includes(method) ? {} : undefined);
        assert.equal(r.status, 401, `${where} answers ${r.status} without credentials`);
        checked += 1;
      }
    }
    assert.ok(checked >= 20);
    assert.deepEqual(publicOps.sort(), ['POST /api/v1/auth/login', 'POST /api/v1/signup'], 'the public operations');
  });

  it('serves the interactive documentation at /docs', async () => {
    let res = await ctx.app.inject({ method: 'GET', url: '/docs' });
    if (res.statusCode >= 300 && res.statusCode < 400) res = await ctx.app.inject({ method: 'GET', url: String(res.headers.location) });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /swagger/i);
  });

  it('answers /healthz with ok', async () => {
    const r = await ctx.call('GET', '/healthz');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'ok' });
  });
});
