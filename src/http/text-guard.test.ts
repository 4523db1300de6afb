import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { ownedRows, populate, sampleBody, type Objects } from './isolation-world.ts';

interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  op: string;
  isPublic: boolean;
  params: string[];
  query: string[];
  json: boolean;
  /** Its JSON body's schema has a string anywhere (a body of flags only has none to spoil). */
  textInBody: boolean;
}

/** Every operation of the OpenAPI document, public ones (signup, login) included. */
function operations(doc: any): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [m, op] of Object.entries<any>(ops)) {
      out.push({
        method: m.toUpperCase() as Operation['method'],
        path,
        op: `${m.toUpperCase()} ${path}`,
        isPublic: Array.isArray(op.security) && op.security.length === 0,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((x) => x[1]),
        query: (op.parameters ?? []).filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name),
        json: Object.keys(op.requestBody?.content ?? {}).includes('application/json'),
        textInBody: /"type":"string"/.test(JSON.stringify(op.requestBody?.content?.['application/json']?.schema ?? {})),
      });
    }
  }
  return out;
}

const PUBLIC_SAMPLES: Record<string, unknown> = {
  'POST /api/v1/signup': { orgName: 'Probe', name: 'Probe', email: 'probe-signup@example.com', password: 'probe password long' },
  'POST /api/v1/auth/login': { email: 'probe-login@example.com', password: 'probe password long' },
};

/** The path (as segments) of every string in a JSON value. */
function stringLeaves(v: unknown, at: string[] = []): string[][] {
  if (typeof v === 'string') return [at];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringLeaves(x, [...at, String(i)]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => stringLeaves(x, [...at, k]));
  return [];
}

function replaced(v: unknown, at: string[], by: string): unknown {
  if (at.length === 0) return by;
  const copy: any = Array.isArray(v) ? [...v] : { ...(v as object) };
  copy[at[0]] = replaced(copy[at[0]], at.slice(1), by);
  return copy;
}

const BAD = { nul: 'a\u0000b', surrogate: 'a\ud800b' } as const;

describeEachStore('text no store can keep', (store) => {
  let ctx: TestContext;
  let org: Org;
  let objects: Objects;
  let ops: Operation[];

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
    objects = await populate(ctx, org);
    ops = operations((await ctx.call('GET', '/openapi.json')).body);
  });
  after(() => ctx.close());

  /** The route's URL with each {param} replaced by the organization's object of that collection. */
  const urlOf = (o: Operation) => o.path.replace(/([^/]+)\/\{(\w+)\}/g, (_m, collection: string) => `${collection}/${objects[collection] ?? objects.tasks}`);

  const expectRefused = (r: { status: number; body: any }, path: string, what: string) => {
    assert.equal(r.status, 400, `${what} → ${r.status} ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, 'validation_failed', what);
    const named = r.body.error.details.fields.find((f: { path: string }) => f.path === path);
    assert.ok(named, `${what}: names ${path} (got ${JSON.stringify(r.body.error.details.fields)})`);
    assert.equal(named.code, 'invalid_characters', what);
  };

  const organizations = async () => (await ctx.deps.db.kysely.selectFrom('organizations').select('id').execute()).length;

  it('refuses U+0000 and lone surrogates in every string of every JSON body, naming the field, writing nothing', async () => {
    const rows = await ownedRows(ctx, org.orgId);
    const orgCount = await organizations();
    let checked = 0;
    for (const o of ops.filter((x) => x.json)) {
      const sample = o.isPublic ? PUBLIC_SAMPLES[o.op] : sampleBody(o.op, objects);
      assert.ok(sample !== undefined, `no sample body for ${o.op}: add one`);
      const leaves = stringLeaves(sample);
      assert.ok(leaves.length > 0 || !o.textInBody, `the sample body of ${o.op} has no string to spoil`);
      for (const leaf of leaves) {
        for (const [kind, bad] of Object.entries(BAD)) {
          const r = await ctx.call(o.method, urlOf(o), o.isPublic ? undefined : org.token, replaced(sample, leaf, bad));
          expectRefused(r, ['body', ...leaf].join('.'), `${o.op} with ${kind} in ${leaf.join('.')}`);
          checked += 1;
        }
      }
      // A field name is text too.
      const r = await ctx.call(o.method, urlOf(o), o.isPublic ? undefined : org.token, { ...(sample as object), 'k\u0000': 'v' });
      expectRefused(r, 'body.k\\u0000', `${o.op} with U+0000 in a field name`);
    }
    assert.ok(checked >= 60, `${checked} fields checked`);
    assert.deepEqual(await ownedRows(ctx, org.orgId), rows, 'nothing was written');
    assert.equal(await organizations(), orgCount, 'no organization was signed up');
  });

  it('refuses U+0000 in every query parameter of every route', async () => {
    let checked = 0;
    for (const o of ops.filter((x) => x.query.length > 0)) {
      for (const q of o.query) {
        const r = await ctx.call(o.method, `${urlOf(o)}?${q}=a%00b`, o.isPublic ? undefined : org.token);
        expectRefused(r, `querystring.${q}`, `${o.op}?${q}=a%00b`);
        checked += 1;
      }
    }
    assert.ok(checked >= 10, `${checked} query parameters checked`);
  });

  it('refuses U+0000 in every path parameter of every route', async () => {
    let checked = 0;
    // Routes whose last segment is a parameter; /tasks/{id}/lines shares its {id} with /tasks/{id}.
    for (const o of ops.filter((x) => x.path.endsWith('}'))) {
      const url = urlOf(o).replace(/\/[^/]+$/, '/a%00b');
      const r = await ctx.call(o.method, url, org.token, o.json ? sampleBody(o.op, objects) : undefined);
      expectRefused(r, `params.${o.params.at(-1)}`, `${o.method} ${url}`);
      checked += 1;
    }
    assert.ok(checked >= 5, `${checked} path parameters checked`);
  });

  it('searches clients and creates clients with ordinary text as before (and a NUL name is a 400, not a 500)', async () => {
    const made = await ctx.call('POST', '/api/v1/clients', org.token, { name: 'Déneigement ☃ 😀' });
    assert.equal(made.status, 201, 'accents, symbols and surrogate pairs (emoji) are kept');
    assert.equal(made.body.name, 'Déneigement ☃ 😀');
    const found = await ctx.call('GET', `/api/v1/clients?q=${encodeURIComponent('😀')}`, org.token);
    assert.equal(found.status, 200);
    assert.ok(found.body.items.some((c: { id: string }) => c.id === made.body.id));
    expectRefused(await ctx.call('POST', '/api/v1/clients', org.token, { name: 'Null\u0000Co' }), 'body.name', 'NUL client name');
    expectRefused(await ctx.call('GET', '/api/v1/clients?q=%00', org.token), 'querystring.q', 'NUL search');
  });
});
