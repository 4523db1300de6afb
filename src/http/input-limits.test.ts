import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { typeIds } from '../testing/defaults.ts';

type JsonSchema = {
  type?: string | string[];
  maxLength?: number;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
};

/** An anchored pattern without *, + or {n,} outside character classes admits strings of bounded length. */
function boundedPattern(pattern: string | undefined): boolean {
  if (!pattern?.startsWith('^') || !pattern.endsWith('$')) return false;
  const bare = pattern.replace(/\\./g, 'x').replace(/\[[^\]]*\]/g, 'x');
  return !/[*+]|\{\d+,\}/.test(bare);
}

/** Paths (in `where`) of the string inputs of a schema that accept any length. */
function unboundedStrings(s: JsonSchema | undefined, where: string): string[] {
  if (!s || typeof s !== 'object') return [];
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const out: string[] = [];
  const bounded = s.maxLength !== undefined || s.enum !== undefined || s.const !== undefined || boundedPattern(s.pattern);
  if (types.includes('string') && !bounded) out.push(where);
  for (const [k, v] of Object.entries(s.properties ?? {})) out.push(...unboundedStrings(v, `${where}.${k}`));
  if (s.items) out.push(...unboundedStrings(s.items, `${where}[]`));
  if (typeof s.additionalProperties === 'object') out.push(...unboundedStrings(s.additionalProperties, `${where}.*`));
  for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) out.push(...unboundedStrings(alt, where));
  return out;
}

describeEachStore('input limits', (store) => {
  let ctx: TestContext;
  let org: Org;
  let workTypeId: string;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
    workTypeId = (await typeIds(ctx, org)).work;
  });
  after(() => ctx.close());

  const taskCount = async () => (await ctx.deps.db.kysely.selectFrom('tasks').select('id').where('org_id', '=', org.orgId).execute()).length;

  it('gives every string a route accepts, in any body or query, a maximum length', async () => {
    const doc = (await ctx.call('GET', '/openapi.json')).body;
    const found: string[] = [];
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        for (const p of op.parameters ?? []) found.push(...unboundedStrings(p.schema, `${where} ${p.in}.${p.name}`));
        const json = op.requestBody?.content?.['application/json']?.schema;
        found.push(...unboundedStrings(json, `${where} body`));
      }
    }
    assert.deepEqual(found, [], 'inputs without a maximum length');
  });

  it('refuses a 100,000-character title or description with 400, writing nothing', async () => {
    const before = await taskCount();
    for (const body of [{ title: 'x'.repeat(100_000) }, { title: 'ok', description: 'x'.repeat(100_000) }]) {
      const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, ...body });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'validation_failed');
      assert.equal(r.body.error.details.fields[0].code, 'too_big');
    }
    assert.equal(await taskCount(), before);
  });

  it('refuses a date-time padded to 100,000 characters', async () => {
    const before = await taskCount();
    const padded = `2025-06-02T12:00:00.${'0'.repeat(100_000)}Z`;
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Padded', scheduledStart: padded });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'validation_failed');
    assert.equal(r.body.error.details.fields[0].path, 'body.scheduledStart');
    assert.equal(await taskCount(), before);
  });

  it('refuses a body over 1 MB with 413 body_too_large, writing nothing', async () => {
    const before = await taskCount();
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Big', description: 'x'.repeat(1024 * 1024) });
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, 'body_too_large');
    assert.equal(await taskCount(), before);
    const justUnder = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Fits', description: 'x'.repeat(20_000) });
    assert.equal(justUnder.status, 201, 'a large but allowed body is fine');
  });

  it('refuses too many assignees', async () => {
    const ids = Array.from({ length: 51 }, () => org.userId);
    const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workTypeId, title: 'Crowd', assigneeIds: ids });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.details.fields[0].path, 'body.assigneeIds');
  });
});
