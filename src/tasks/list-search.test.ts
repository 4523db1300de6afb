import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { typeIds } from '../testing/defaults.ts';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';

describeEachStore('listing tasks: schedule range, text search and sort', (store) => {
  let ctx: TestContext;
  let org: Org;
  const ids: Record<string, string> = {};
  const numbers: Record<string, string> = {};

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
    const work = (await typeIds(ctx, org)).work;
    const make = async (key: string, title: string, scheduledStart?: string) => {
      const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId: work, title, ...(scheduledStart ? { scheduledStart } : {}) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids[key] = r.body.id;
      numbers[key] = r.body.displayNumber;
    };
    await make('a', 'Pavage rue Principale', '2026-11-30T13:00:00.000Z');
    await make('b', 'Excavation 100% terminée', '2026-11-29T09:00:00-05:00'); // 14:00Z
    await make('c', 'Déneigement', undefined);
    await make('d', 'PAVAGE stationnement', '2026-12-02T08:00:00.000Z');
    await make('e', 'Inspection under_score', '2026-11-29T14:00:00.000Z');
  });
  after(() => ctx.close());

  const names = async (query: string) => {
    const r = await ctx.call('GET', `/api/v1/tasks${query}`, org.token);
    assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.body)}`);
    const byId = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
    return r.body.items.map((t: { id: string }) => byId.get(t.id) ?? t.id);
  };

  it('filters on a scheduled range: from inclusive, to exclusive, any offset, unscheduled left out', async () => {
    assert.deepEqual(await names('?scheduledFrom=2026-11-29T14:00:00Z&scheduledTo=2026-12-01T00:00:00Z'), ['a', 'b', 'e']);
    assert.deepEqual(await names(`?scheduledFrom=${encodeURIComponent('2026-11-29T09:00:01-05:00')}`), ['a', 'd']);
    assert.deepEqual(await names('?scheduledTo=2026-11-29T14:00:00Z'), []);
    assert.deepEqual(await names('?scheduledFrom=2026-12-02T08:00:00.000Z'), ['d']);
  });

  it('searches the title case-insensitively and the number with or without its prefix', async () => {
    assert.deepEqual(await names('?q=pavage'), ['a', 'd']);
    assert.deepEqual(await names('?q=PAVAGE%20RUE'), ['a']);
    assert.deepEqual(await names(`?q=${encodeURIComponent('Déneig')}`), ['c']);
    const n = numbers.c.split('-')[1];
    assert.deepEqual(await names(`?q=${encodeURIComponent(numbers.c)}`), ['c']);
    assert.deepEqual(await names(`?q=${n}`), ['c']);
    assert.deepEqual(await names('?q=nothing-like-it'), []);
  });

  it('treats % and _ in the search as plain characters', async () => {
    assert.deepEqual(await names('?q=100%25'), ['b']);
    assert.deepEqual(await names('?q=n_e'), [], 'a wildcard _ would find "stationnement"');
    assert.deepEqual(await names('?q=under_'), ['e']);
  });

  it('sorts by number or schedule either way, unscheduled last, and pages through every task once', async () => {
    assert.deepEqual(await names('?sort=-number'), ['e', 'd', 'c', 'b', 'a']);
    assert.deepEqual(await names('?sort=scheduledStart'), ['b', 'e', 'a', 'd', 'c'], 'same instant: by number');
    assert.deepEqual(await names('?sort=-scheduledStart'), ['d', 'a', 'e', 'b', 'c']);
    for (const sort of ['scheduledStart', '-scheduledStart', '-number']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const r: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await ctx.call(
          'GET',
          `/api/v1/tasks?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          org.token,
        );
        assert.equal(r.status, 200, JSON.stringify(r.body));
        seen.push(...r.body.items.map((t) => t.id));
        cursor = r.body.nextCursor;
      } while (cursor && seen.length < 20);
      assert.deepEqual(seen, await ctx.call('GET', `/api/v1/tasks?sort=${sort}`, org.token).then((r) => r.body.items.map((t: { id: string }) => t.id)), sort);
    }
  });

  it('refuses an unknown sort, naming the field', async () => {
    const r = await ctx.call('GET', '/api/v1/tasks?sort=title', org.token);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.details.fields[0].path, 'querystring.sort');
  });
});
