import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { complete, enable, line, move, task, world, type World } from '../consolidation/testkit.ts';
import { testContext, type TestContext } from '../testing/harness.ts';

const url = process.env.TEST_DATABASE_URL;

/**
 * The round trips to PostgreSQL of one request, counted as pg sees them: each answer PostgreSQL
 * ends with ReadyForQuery, on every connection of the store (its second pool included). A round
 * trip costs the server more CPU than most statements' own work (issue 10).
 */
describe('round trips of a transition (PostgreSQL)', { skip: url ? false : 'TEST_DATABASE_URL is not set' }, () => {
  let ctx: TestContext;
  let w: World;
  let roundTrips = 0;
  const emit = pg.Connection.prototype.emit;
  before(async () => {
    pg.Connection.prototype.emit = function (this: pg.Connection, event: string | symbol, ...args: unknown[]) {
      if (event === 'readyForQuery') roundTrips++;
      return emit.call(this, event, ...args);
    };
    ctx = await testContext('postgres');
    w = await world(ctx);
    await enable(w, w.rules.byProject);
  });
  after(async () => {
    pg.Connection.prototype.emit = emit;
    await ctx.close();
  });

  const counted = async (request: () => Promise<unknown>) => {
    roundTrips = 0;
    await request();
    return roundTrips;
  };
  const subTask = async (mainId: string) => {
    const sub = await task(w, { title: 'Sous-tâche', parentId: mainId, status: 'in_progress' });
    await line(w, sub.id, 'Pose', '2', 1500);
    return sub.id as string;
  };

  it('a plain transition: the session, BEGIN with the lock, the status with its history and COMMIT', async () => {
    const t = await task(w, { title: 'Simple', status: 'in_progress' });
    // Each statement is prepared on a connection at its first use there (pg-prepared.ts): warm up.
    for (const to of ['scheduled', 'in_progress']) assert.equal((await move(w, t.id, to)).status, 200);
    assert.equal(await counted(() => move(w, t.id, 'scheduled')), 3);
  });

  it('a consolidating completion: the status write goes with the read of the sub-task, one round trip for both', async () => {
    const main = await task(w, { title: 'Projet' });
    for (let i = 0; i < 3; i++) await complete(w, await subTask(main.id));
    const sub = await subTask(main.id);
    // The session, BEGIN with the lock, the status write with the sub-task's read, the line
    // positions (second pool), the copies, the run log with COMMIT.
    assert.equal(await counted(() => complete(w, sub)), 5);
  });
});
