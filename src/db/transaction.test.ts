import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { afterRollback, runTransaction } from './transaction.ts';
import type { Executor } from './index.ts';

describeEachStore('runTransaction', (store) => {
  let ctx: TestContext;
  let org: Org;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
  });
  after(() => ctx.close());

  const mark = (db: Executor, name: string) => db.insertInto('org_counters').values({ org_id: org.orgId, name, value: 1 }).execute();
  const marked = async (name: string) =>
    (await ctx.deps.db.kysely.selectFrom('org_counters').select('name').where('org_id', '=', org.orgId).where('name', '=', name).executeTakeFirst()) !==
    undefined;

  it('writes what a failed transaction registered with afterRollback once it has rolled back, and throws its error', async () => {
    const failure = new Error('refused');
    await assert.rejects(
      runTransaction(ctx.deps, async (trx) => {
        await mark(trx, 'rb-work');
        afterRollback(async () => {
          await mark(ctx.deps.db.kysely, 'rb-record');
        });
        throw failure;
      }),
      (err) => err === failure,
    );
    assert.equal(await marked('rb-work'), false, 'the work was rolled back');
    assert.equal(await marked('rb-record'), true, 'the record outlived the rollback');
  });

  it('drops what was registered when the transaction commits', async () => {
    await runTransaction(ctx.deps, async (trx) => {
      await mark(trx, 'ok-work');
      afterRollback(async () => {
        await mark(ctx.deps.db.kysely, 'ok-record');
      });
    });
    assert.equal(await marked('ok-work'), true);
    assert.equal(await marked('ok-record'), false);
  });

  it('refuses afterRollback outside runTransaction, where the record would be lost', () => {
    assert.throws(() => afterRollback(async () => {}), /MUST be called inside runTransaction/);
  });
});
