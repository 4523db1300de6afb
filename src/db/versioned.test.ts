import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { updateVersioned } from './versioned.ts';

describeEachStore('updateVersioned', (store) => {
  let ctx: TestContext;
  let org: Org;
  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
  });
  after(async () => ctx.close());

  const newClient = async (name: string) => {
    const r = await ctx.call('POST', '/api/v1/clients', org.token, { name });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const row = (id: string) => ctx.deps.db.kysely.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const update = (id: string, version: number, set: Parameters<typeof updateVersioned<'clients'>>[3]) =>
    ctx.deps.db.kysely.transaction().execute((trx) => updateVersioned(trx, 'clients', { orgId: org.orgId, id, version }, set));

  it('writes only the columns given (undefined ones stay), each set of columns with its own statement, and bumps the version', async () => {
    const a = await newClient('Alpha');
    const b = await newClient('Beta');
    const before = await row(a);
    // The same column list twice (the statement built once), then other lists and orders.
    assert.equal(await update(a, before.version, { name: 'Alpha 2', phone: '514-555-0001' }), before.version + 1);
    assert.equal(await update(b, 1, { name: 'Beta 2', phone: '514-555-0002' }), 2);
    assert.equal(await update(a, before.version + 1, { phone: null, notes: 'n', name: undefined }), before.version + 2);
    assert.equal(await update(b, 2, { notes: 'm', tax_region: 'ON' }), 3);
    const [ra, rb] = [await row(a), await row(b)];
    assert.deepEqual([ra.name, ra.phone, ra.notes, ra.tax_region, ra.version], ['Alpha 2', null, 'n', before.tax_region, before.version + 2]);
    assert.deepEqual([rb.name, rb.phone, rb.notes, rb.tax_region, rb.version], ['Beta 2', '514-555-0002', 'm', 'ON', 3]);
  });

  it('refuses a stale version with 409 stale_version and changes nothing', async () => {
    const id = await newClient('Gamma');
    await update(id, 1, { name: 'Gamma 2' });
    await assert.rejects(update(id, 1, { name: 'Gamma stale' }), (err: { code?: string }) => err.code === 'stale_version');
    assert.deepEqual([(await row(id)).name, (await row(id)).version], ['Gamma 2', 2]);
  });

  it("never writes another organization's row", async () => {
    const id = await newClient('Delta');
    const other = await ctx.signup();
    await assert.rejects(
      ctx.deps.db.kysely.transaction().execute((trx) => updateVersioned(trx, 'clients', { orgId: other.orgId, id, version: 1 }, { name: 'Stolen' })),
      (err: { code?: string }) => err.code === 'stale_version',
    );
    assert.equal((await row(id)).name, 'Delta');
  });
});
