import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, secondInstance, type TestContext } from '../testing/harness.ts';
import { billing, billingContext, close, move, ok, readyInvoice, client, invoiceOf } from './testkit.ts';

const numbersOf = async (b: Awaited<ReturnType<typeof billing>>) =>
  (await ok(b, 'GET', '/api/v1/invoices?limit=500')).items.map((i: { number: string }) => i.number).sort();
const expected = (year: number, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `F-${year}-${String(from + i).padStart(5, '0')}`);

describeEachStore('invoice numbers', (store) => {
  let ctx: TestContext;
  let clock: Awaited<ReturnType<typeof billingContext>>['clock'];
  before(async () => {
    ({ ctx, clock } = await billingContext(store));
  });
  after(() => ctx.close());

  it('are sequential per organization: F-2026-00001, 00002, 00003', async () => {
    const b = await billing(ctx);
    const other = await billing(ctx);
    const c = await client(b);
    for (let i = 0; i < 3; i++) await close(b, (await readyInvoice(b, 1000, c.id)).id);
    await close(other, (await readyInvoice(other)).id);
    assert.deepEqual(await numbersOf(b), expected(2026, 1, 3));
    assert.deepEqual(await numbersOf(other), expected(2026, 1, 1));
  });

  it('give a number back when the transaction that took it rolls back: no gap', async () => {
    const b = await billing(ctx);
    await close(b, (await readyInvoice(b)).id);
    const doomed = await readyInvoice(b);
    ctx.deps.transitionHooks.push(async (_trx, event) => {
      if (event.task.id === doomed.id) throw new Error('a later hook fails');
    });
    try {
      const r = await move(b, doomed.id, 'closed');
      assert.equal(r.status, 500);
    } finally {
      ctx.deps.transitionHooks.pop();
    }
    assert.equal(await invoiceOf(b, doomed.id), undefined);
    assert.equal((await ok(b, 'GET', `/api/v1/tasks/${doomed.id}`)).status, 'open');
    const next = await close(b, (await readyInvoice(b)).id);
    assert.equal(next.number, 'F-2026-00002');
    assert.equal((await close(b, doomed.id)).number, 'F-2026-00003');
  });

  it('are distinct and consecutive when 20 invoice tasks close at once', async () => {
    const b = await billing(ctx);
    const c = await client(b);
    const tasks = [];
    for (let i = 0; i < 20; i++) tasks.push(await readyInvoice(b, 100 + i, c.id));
    const replies = await Promise.all(tasks.map((t) => move(b, t.id, 'closed')));
    assert.deepEqual(
      replies.map((r) => r.status),
      Array(20).fill(200),
    );
    assert.deepEqual(await numbersOf(b), expected(2026, 1, 20));
  });

  it("restart each year, dated by the organization's time zone", async () => {
    const b = await billing(ctx);
    const t1 = await readyInvoice(b);
    const t2 = await readyInvoice(b);
    const saved = clock.now().getTime();
    try {
      clock.advance(Date.parse('2027-01-01T04:30:00.000Z') - saved); // still 2026-12-31, 23:30 in Toronto
      assert.equal((await close(b, t1.id)).number, 'F-2026-00001');
      clock.advance(3_600_000); // 2027-01-01, 00:30 in Toronto
      const next = await close(b, t2.id);
      assert.equal(next.number, 'F-2027-00001');
      assert.equal(next.issueDate, '2027-01-01');
    } finally {
      clock.advance(saved - clock.now().getTime());
    }
  });

  it('follow a changed pattern from the next issue on', async () => {
    const b = await billing(ctx);
    await close(b, (await readyInvoice(b)).id);
    await ok(b, 'PATCH', '/api/v1/organization', { invoiceNumberPattern: 'FAC{yy}{mm}-{seq:3}' });
    assert.equal((await close(b, (await readyInvoice(b)).id)).number, 'FAC2603-002');
  });

  if (store === 'postgres') {
    it('are distinct and consecutive across two app instances with their own pools', async () => {
      const b = await billing(ctx);
      const c = await client(b);
      const twin = await secondInstance(ctx);
      try {
        const tasks = [];
        for (let i = 0; i < 20; i++) tasks.push(await readyInvoice(b, 100 + i, c.id));
        const replies = await Promise.all(
          tasks.map((t, i) => (i % 2 ? twin : ctx).call('POST', `/api/v1/tasks/${t.id}/transitions`, b.org.token, { to: 'closed' })),
        );
        assert.deepEqual(
          replies.map((r) => r.status),
          Array(20).fill(200),
        );
        assert.deepEqual(await numbersOf(b), expected(2026, 1, 20));
      } finally {
        await twin.close();
      }
    });
  }
});
