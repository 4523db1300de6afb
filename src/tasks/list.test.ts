import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, fixedClock, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { typeIds } from '../testing/defaults.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describeEachStore('listing tasks', (store) => {
  let ctx: TestContext;
  let org: Org;
  const clock = fixedClock('2025-04-01T12:00:00.000Z');
  const ids: Record<string, string> = {};
  let workType: string;
  let inspectType: string;
  let c1: string;
  let c2: string;
  let u1: Org;
  let u2: Org;
  let editedAfter: string;

  before(async () => {
    ctx = await testContext(store, { clock });
    org = await ctx.signup();
    u1 = await ctx.addUser(org, 'technician');
    u2 = await ctx.addUser(org, 'technician');
    workType = (await typeIds(ctx, org)).work;
    const label = (k: string) => ({ fr: k, en: k });
    inspectType = (
      await ctx.call('POST', '/api/v1/task-types', org.token, {
        key: 'inspection',
        label: label('Inspection'),
        prefix: 'INS',
        workflow: {
          initial: 'requested',
          statuses: [
            { key: 'requested', label: label('r'), category: 'open' },
            { key: 'on_site', label: label('o'), category: 'active' },
            { key: 'passed', label: label('p'), category: 'done' },
          ],
          transitions: [
            { from: 'requested', to: 'on_site' },
            { from: 'on_site', to: 'passed' },
          ],
        },
      })
    ).body.id;
    c1 = (await ctx.call('POST', '/api/v1/clients', org.token, { name: 'C1' })).body.id;
    c2 = (await ctx.call('POST', '/api/v1/clients', org.token, { name: 'C2' })).body.id;
    const make = async (name: string, body: Record<string, unknown>, moves: string[] = []) => {
      const r = await ctx.call('POST', '/api/v1/tasks', org.token, { title: name, ...body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      for (const to of moves) assert.equal((await ctx.call('POST', `/api/v1/tasks/${r.body.id}/transitions`, org.token, { to })).status, 200);
      ids[name] = r.body.id;
    };
    await make('w1', { typeId: workType, clientId: c1, assigneeIds: [u1.userId] });
    await make('w2', { typeId: workType, clientId: c2, parentId: ids.w1 }, ['in_progress']);
    await make('w3', { typeId: workType }, ['completed']);
    await make('i1', { typeId: inspectType, clientId: c1, assigneeIds: [u1.userId, u2.userId] }, ['on_site']);
    await make('i2', { typeId: inspectType, parentId: ids.w2 }, ['on_site', 'passed']);
    await make('w4', { typeId: workType, parentId: ids.w1, assigneeIds: [u2.userId] }, ['cancelled']);
    clock.advance(60_000);
    editedAfter = clock.now().toISOString();
    await ctx.call('PATCH', `/api/v1/tasks/${ids.w3}`, org.token, { title: 'w3' });
    await ctx.call('POST', `/api/v1/tasks/${ids.i1}/transitions`, org.token, { to: 'passed' });
    clock.advance(60_000);
  });
  after(() => ctx.close());

  const names = async (query: string) => {
    const r = await ctx.call('GET', `/api/v1/tasks${query}`, org.token);
    assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.body)}`);
    const byId = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
    return r.body.items.map((t: { id: string }) => byId.get(t.id) ?? t.id);
  };

  it('lists every task in number order without a filter', async () => {
    assert.deepEqual(await names(''), ['w1', 'w2', 'w3', 'i1', 'i2', 'w4']);
  });

  it('filters on status, status category and type', async () => {
    assert.deepEqual(await names('?status=in_progress'), ['w2']);
    assert.deepEqual(await names('?status=passed'), ['i1', 'i2']);
    assert.deepEqual(await names('?statusCategory=open'), ['w1']);
    assert.deepEqual(await names('?statusCategory=active'), ['w2']);
    assert.deepEqual(await names('?statusCategory=done'), ['w3', 'i1', 'i2'], 'done in either workflow');
    assert.deepEqual(await names('?statusCategory=cancelled'), ['w4']);
    assert.deepEqual(await names(`?typeId=${inspectType}`), ['i1', 'i2']);
    assert.deepEqual(await names(`?typeId=${workType}&statusCategory=done`), ['w3']);
  });

  it('filters on client, parent, top level and assignee', async () => {
    assert.deepEqual(await names(`?clientId=${c1}`), ['w1', 'i1']);
    assert.deepEqual(await names(`?clientId=${c2}`), ['w2']);
    assert.deepEqual(await names(`?parentId=${ids.w1}`), ['w2', 'w4'], 'direct sub-tasks only');
    assert.deepEqual(await names('?topLevel=true'), ['w1', 'w3', 'i1']);
    assert.deepEqual(await names('?topLevel=false'), ['w2', 'i2', 'w4']);
    assert.deepEqual(await names(`?assigneeId=${u1.userId}`), ['w1', 'i1']);
    assert.deepEqual(await names(`?assigneeId=${u2.userId}`), ['i1', 'w4']);
    assert.deepEqual(await names(`?assigneeId=${u2.userId}&clientId=${c1}`), ['i1']);
  });

  it('filters on updatedSince, an instant in any offset', async () => {
    assert.deepEqual(await names(`?updatedSince=${editedAfter}`), ['w3', 'i1']);
    const sameInstant = new Date(Date.parse(editedAfter)).toISOString().replace('Z', '+00:00');
    assert.deepEqual(await names(`?updatedSince=${encodeURIComponent(sameInstant)}`), ['w3', 'i1']);
    assert.deepEqual(await names(`?updatedSince=${encodeURIComponent(clock.now().toISOString())}`), []);
  });

  it('visits every task exactly once, page by page, with or without a filter', async () => {
    for (let i = 0; i < 17; i++) await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: workType, title: `bulk ${i}` });
    const all = (await ctx.call('GET', '/api/v1/tasks?limit=500', org.token)).body.items.map((t: { id: string }) => t.id);
    assert.equal(all.length, 23);
    for (const [query, expected] of [
      ['', 23],
      ['status=todo&', 18],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await ctx.call(
          'GET',
          `/api/v1/tasks?${query}limit=5${cursor ? `&cursor=${cursor}` : ''}`,
          org.token,
        );
        assert.equal(r.status, 200);
        assert.ok(r.body.items.length <= 5);
        seen.push(...r.body.items.map((t) => t.id));
        cursor = r.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 50);
      assert.equal(seen.length, expected, query);
      assert.equal(new Set(seen).size, expected, 'no task twice');
      assert.deepEqual(
        seen,
        all.filter((id: string) => seen.includes(id)),
        'in number order',
      );
      assert.equal(pages, Math.ceil(expected / 5));
    }
  });

  it('answers 400 invalid_cursor for a cursor it did not give out', async () => {
    const bad = ['garbage!!', b64('null'), b64('[]'), b64('{"n":"3"}'), b64('{"id":"x"}'), b64('{"n":1.5}'), b64('{"n":1e999}'), b64('{"n":-1e300}')];
    for (const cursor of bad) {
      const r = await ctx.call('GET', `/api/v1/tasks?cursor=${encodeURIComponent(cursor)}`, org.token);
      assert.equal(r.status, 400, `${cursor}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'invalid_cursor', cursor);
    }
  });

  it('refuses an unknown filter or a malformed one, naming it', async () => {
    const cases: [string, string][] = [
      ['?colour=red', 'querystring.colour'],
      ['?statusCategory=finished', 'querystring.statusCategory'],
      ['?typeId=not-a-uuid', 'querystring.typeId'],
      ['?topLevel=yes', 'querystring.topLevel'],
      ['?updatedSince=yesterday', 'querystring.updatedSince'],
      ['?limit=0', 'querystring.limit'],
      ['?limit=501', 'querystring.limit'],
    ];
    for (const [query, path] of cases) {
      const r = await ctx.call('GET', `/api/v1/tasks${query}`, org.token);
      assert.equal(r.status, 400, query);
      assert.equal(r.body.error.code, 'validation_failed');
      assert.equal(r.body.error.details.fields[0].path, path, query);
    }
  });
});
