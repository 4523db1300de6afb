import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { describeEachStore, freshDb } from '../testing/harness.ts';
import type { Db } from './index.ts';
import { staticQuery } from './static-query.ts';

describeEachStore('staticQuery', (store) => {
  let db: Db;
  let drop: () => Promise<void>;
  before(async () => ({ db, drop } = await freshDb(store)));
  after(async () => drop());

  let builds = 0;
  const echo = staticQuery((d, a: string, b: string | null) => {
    builds++;
    return d.selectNoFrom((eb) => [eb.cast(eb.val(a), 'text').as('a'), eb.cast(eb.val(b), 'text').as('b'), eb.cast(eb.val('constant'), 'text').as('c')]);
  });

  it("builds the query once and binds each call its own values, keeping the query's own constants", async () => {
    const first = (await echo(db.kysely, 'x', 'y')).rows;
    const second = (await echo(db.kysely, 'b', null)).rows;
    assert.deepEqual(first, [{ a: 'x', b: 'y', c: 'constant' }]);
    assert.deepEqual(second, [{ a: 'b', b: null, c: 'constant' }]);
    assert.equal(builds, 1);
  });

  it('builds the ordinary way when a plugin is installed, so the plugin sees the query', async () => {
    const seen: string[] = [];
    const plugin: KyselyPlugin = {
      transformQuery: ({ node }) => {
        seen.push(node.kind);
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    const rows = (await echo(db.kysely.withPlugin(plugin), 'p', 'q')).rows;
    assert.deepEqual(rows, [{ a: 'p', b: 'q', c: 'constant' }]);
    assert.deepEqual(seen, ['SelectQueryNode']);
  });
});
