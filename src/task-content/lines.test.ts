import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type Org, type TestContext } from '../testing/harness.ts';
import { newTask } from './testkit.ts';

describeEachStore('invoice lines', (store) => {
  let ctx: TestContext;
  let org: Org;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
  });
  after(() => ctx.close());

  const linesOf = async (taskId: string, token = org.token) => {
    const r = await ctx.call('GET', `/api/v1/tasks/${taskId}/lines?limit=500`, token);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items as Array<Record<string, unknown>>;
  };
  const add = (taskId: string, body: unknown, token = org.token) => ctx.call('POST', `/api/v1/tasks/${taskId}/lines`, token, body);

  it('computes amounts exactly for awkward decimals, rounding half-up to the cent', async () => {
    const task = await newTask(ctx, org);
    const a = await add(task.id, { description: 'Thirds', quantity: '3', unitPriceCents: 1 });
    const b = await add(task.id, { description: 'A third', quantity: '0.333', unitPriceCents: 3 });
    const c = await add(task.id, { description: 'Pipe', quantity: 1.005, unitPriceCents: 199, unit: 'm' });
    const d = await add(task.id, { description: 'Gravel', quantity: '2.5', unitPriceCents: 1, taxTreatment: 'exempt', productCode: 'GRV-1' });
    const e = await add(task.id, { description: 'A third of a cent', quantity: '0.333', unitPriceCents: 1 });
    for (const r of [a, b, c, d, e]) assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(e.body.amountCents, 0); // 0.333 → 0
    assert.equal(b.body.amountCents, 1); // 0.999 → 1
    assert.equal(c.body.amountCents, 200); // 199.995 → 200 (a float would give 199.99499…)
    assert.equal(c.body.quantity, '1.005');
    assert.equal(d.body.amountCents, 3); // 2.5 → 3, half-up
    assert.equal(d.body.taxTreatment, 'exempt');
    assert.equal(a.body.taxTreatment, 'taxable');
    assert.deepEqual(
      (await linesOf(task.id)).map((l) => [l.position, l.quantity, l.amountCents, l.unit, l.productCode]),
      [
        [1, '3', 3, null, null],
        [2, '0.333', 1, null, null],
        [3, '1.005', 200, 'm', null],
        [4, '2.5', 3, null, 'GRV-1'],
        [5, '0.333', 0, null, null],
      ],
    );
  });

  it('refuses absurd, negative or unknown input with a precise code, and writes nothing', async () => {
    const task = await newTask(ctx, org);
    const ok = { description: 'Labour', quantity: '1', unitPriceCents: 100 };
    const cases: Array<[unknown, string]> = [
      [{ ...ok, quantity: '-1' }, 'invalid_quantity'],
      [{ ...ok, quantity: 0 }, 'invalid_quantity'],
      [{ ...ok, quantity: '1.0001' }, 'invalid_quantity'],
      [{ ...ok, quantity: '1e9' }, 'invalid_quantity'],
      [{ ...ok, quantity: 1e21 }, 'invalid_quantity'],
      [{ ...ok, quantity: '1000000.001' }, 'invalid_quantity'],
      [{ ...ok, unitPriceCents: -1 }, 'invalid_unit_price'],
      [{ ...ok, unitPriceCents: 12.5 }, 'invalid_unit_price'],
      [{ ...ok, unitPriceCents: 100_000_001 }, 'invalid_unit_price'],
      [{ ...ok, unitPriceCents: '100' }, 'validation_failed'],
      [{ ...ok, amountCents: 1 }, 'validation_failed'],
      [{ ...ok, taxTreatment: 'zero-rated' }, 'validation_failed'],
      [{ ...ok, description: '   ' }, 'validation_failed'],
      [{ ...ok, description: 'x'.repeat(1001) }, 'validation_failed'],
      [{ ...ok, unit: 'u'.repeat(21) }, 'validation_failed'],
      [{ ...ok, productCode: 'p'.repeat(65) }, 'validation_failed'],
      [{ ...ok, quantity: '1'.repeat(100_000) }, 'validation_failed'],
    ];
    for (const [body, code] of cases) {
      const r = await add(task.id, body);
      assert.equal(r.status, 400, JSON.stringify(body).slice(0, 200));
      assert.equal(r.body.error.code, code, JSON.stringify(body).slice(0, 200));
    }
    const unknown = await add(task.id, { ...ok, amountCents: 1 });
    assert.deepEqual(
      unknown.body.error.details.fields.map((f: { path: string }) => f.path),
      ['body.amountCents'],
    );
    assert.deepEqual(await linesOf(task.id), []);
  });

  it('edits a line, recomputing its amount, and answers 409 stale_version to an old version', async () => {
    const task = await newTask(ctx, org);
    const line = (await add(task.id, { description: 'Labour', quantity: '2', unitPriceCents: 5000 })).body;
    const url = `/api/v1/tasks/${task.id}/lines/${line.id}`;
    const r = await ctx.call('PATCH', url, org.token, { quantity: '1.5', unit: 'h', version: 1 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.quantity, r.body.amountCents, r.body.unit, r.body.version], ['1.5', 7500, 'h', 2]);
    const stale = await ctx.call('PATCH', url, org.token, { unitPriceCents: 1, version: 1 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'stale_version');
    const bad = await ctx.call('PATCH', url, org.token, { quantity: '-3' });
    assert.equal(bad.body.error.code, 'invalid_quantity');
    const [kept] = await linesOf(task.id);
    assert.deepEqual([kept.quantity, kept.unitPriceCents, kept.amountCents], ['1.5', 5000, 7500]);
    const del = await ctx.call('DELETE', url, org.token);
    assert.equal(del.status, 204);
    assert.deepEqual(await linesOf(task.id), []);
    assert.equal((await ctx.call('DELETE', url, org.token)).body.error.code, 'line_not_found');
  });

  it('gives lines added at the same time distinct positions, in order', async () => {
    const task = await newTask(ctx, org);
    const added = await Promise.all(Array.from({ length: 8 }, (_, i) => add(task.id, { description: `C${i}`, quantity: '1', unitPriceCents: 1 })));
    assert.ok(added.every((r) => r.status === 201));
    assert.deepEqual(
      (await linesOf(task.id)).map((l) => l.position),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
  });

  it('pages through lines in position order with a cursor', async () => {
    const task = await newTask(ctx, org);
    for (let i = 1; i <= 5; i++) assert.equal((await add(task.id, { description: `L${i}`, quantity: i, unitPriceCents: 1 })).status, 201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: { description: string }[]; nextCursor: string | null } } = await ctx.call(
        'GET',
        `/api/v1/tasks/${task.id}/lines?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        org.token,
      );
      seen.push(...r.body.items.map((l) => l.description));
      cursor = r.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ['L1', 'L2', 'L3', 'L4', 'L5']);
    const forged = await ctx.call('GET', `/api/v1/tasks/${task.id}/lines?cursor=bm9wZQ`, org.token);
    assert.equal(forged.body.error.code, 'invalid_cursor');
  });

  it('refuses to add, change or delete lines once the task is done or cancelled (409 task_closed)', async () => {
    const done = await newTask(ctx, org);
    const line = (await add(done.id, { description: 'Labour', quantity: '1', unitPriceCents: 100 })).body;
    assert.equal((await ctx.call('POST', `/api/v1/tasks/${done.id}/transitions`, org.token, { to: 'completed' })).status, 200);
    const url = `/api/v1/tasks/${done.id}/lines/${line.id}`;
    for (const r of [
      await add(done.id, { description: 'Late', quantity: '1', unitPriceCents: 100 }),
      await ctx.call('PATCH', url, org.token, { unitPriceCents: 1 }),
      await ctx.call('DELETE', url, org.token),
    ]) {
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'task_closed');
    }
    assert.deepEqual(
      (await linesOf(done.id)).map((l) => [l.description, l.amountCents]),
      [['Labour', 100]],
    );
    const cancelled = await newTask(ctx, org);
    await ctx.call('POST', `/api/v1/tasks/${cancelled.id}/transitions`, org.token, { to: 'cancelled' });
    assert.equal((await add(cancelled.id, { description: 'X', quantity: '1', unitPriceCents: 1 })).body.error.code, 'task_closed');
  });

  it('shows a technician the lines of assigned tasks only, and lets them add lines there', async () => {
    const tech = await ctx.addUser(org, 'technician');
    const mine = await newTask(ctx, org, { assigneeIds: [tech.userId] });
    const other = await newTask(ctx, org);
    await add(other.id, { description: 'Secret', quantity: '1', unitPriceCents: 100 });
    const r = await add(mine.id, { description: 'Fitting', quantity: '2', unitPriceCents: 350 }, tech.token);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.createdBy, tech.userId);
    assert.deepEqual(
      (await linesOf(mine.id, tech.token)).map((l) => l.description),
      ['Fitting'],
    );
    const hidden = await ctx.call('GET', `/api/v1/tasks/${other.id}/lines`, tech.token);
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.error.code, 'task_not_found');
    assert.equal((await add(other.id, { description: 'Sneaky', quantity: '1', unitPriceCents: 1 }, tech.token)).status, 404);
    assert.deepEqual(
      (await linesOf(other.id)).map((l) => l.description),
      ['Secret'],
    );
  });
});
