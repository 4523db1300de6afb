import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Db } from '../../db/index.ts';
import { describeEachStore, fixedClock, freshDb } from '../../testing/harness.ts';
import { LOCAL_BATCH, LOCAL_SYNC_MS, tableCounters } from './stores.ts';

describeEachStore('tableCounters (the shared rate-limit counts)', (store) => {
  let db: Db;
  let drop: () => Promise<void>;
  const clock = fixedClock('2026-11-20T15:00:00.000Z');
  before(async () => ({ db, drop } = await freshDb(store)));
  after(() => drop());
  const inTable = async (key: string) =>
    Number((await db.kysely.selectFrom('rate_limits').select('count').where('key', '=', key).executeTakeFirst())?.count ?? 0);

  it('counts far from the limit in memory and adds the batch to the table every LOCAL_BATCH requests', async () => {
    const counters = tableCounters(db, clock);
    const seen: number[] = [];
    for (let i = 0; i < LOCAL_BATCH + 5; i++) seen.push((await counters.count('api:batch', 60_000, 1e9)).current);
    assert.deepEqual(
      seen,
      Array.from({ length: LOCAL_BATCH + 5 }, (_, i) => i + 1),
      'every request sees its own count',
    );
    // The first request of a window and then every LOCAL_BATCH-th go to the table.
    assert.equal(await inTable('api:batch'), LOCAL_BATCH + 1);
  });

  it('adds what it counted to the table once its last sync is LOCAL_SYNC_MS old', async () => {
    const counters = tableCounters(db, clock);
    for (let i = 0; i < 10; i++) await counters.count('api:age', 60_000, 1e9);
    assert.equal(await inTable('api:age'), 1);
    clock.advance(LOCAL_SYNC_MS);
    assert.equal((await counters.count('api:age', 60_000, 1e9)).current, 11);
    assert.equal(await inTable('api:age'), 11);
  });

  it('holds the limit exactly across two processes: past half the limit every request goes to the table', async () => {
    const a = tableCounters(db, clock);
    const b = tableCounters(db, clock);
    const answers: number[] = [];
    for (let i = 0; i < 12; i++) answers.push((await (i % 2 ? b : a).count('api:shared', 60_000, 10)).current);
    // Both processes' counts meet in the table before the limit: the 11th request overall sees 11.
    assert.equal(answers.filter((c) => c > 10).length, 2, JSON.stringify(answers));
    assert.equal(answers[10], 11, JSON.stringify(answers));
    assert.equal(await inTable('api:shared'), 12);
  });

  it('starts a new window once the old one is over', async () => {
    const counters = tableCounters(db, clock);
    for (let i = 0; i < 3; i++) await counters.count('api:window', 60_000, 1e9);
    clock.advance(60_000);
    assert.deepEqual(await counters.count('api:window', 60_000, 1e9), { current: 1, ttl: 60_000 });
    assert.equal(await inTable('api:window'), 1);
  });
});
