import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, type Org, type TestContext } from '../testing/harness.ts';
import { billing, billingContext, client, close, ok, readyInvoice, type Billing } from './testkit.ts';

describeEachStore('invoice routes', (store) => {
  let ctx: TestContext;
  let clock: Awaited<ReturnType<typeof billingContext>>['clock'];
  let b: Billing;
  let tech: Org;
  let dispatcher: Org;
  before(async () => {
    ({ ctx, clock } = await billingContext(store));
    b = await billing(ctx);
    tech = await ctx.addUser(b.org, 'technician');
    dispatcher = await ctx.addUser(b.org, 'dispatcher');
  });
  after(() => ctx.close());

  const pay = (id: string, body: unknown, token = b.org.token) => ctx.call('POST', `/api/v1/invoices/${id}/payment`, token, body);

  it('marks an invoice paid on a date and unpaid again; a credit note has no payment', async () => {
    const inv = await close(b, (await readyInvoice(b)).id);
    const paid = await pay(inv.id, { status: 'paid', paidAt: '2026-03-14T12:00:00.000Z' }, dispatcher.token);
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.status, 'paid');
    assert.equal(paid.body.paidAt, '2026-03-14T12:00:00.000Z');
    assert.deepEqual(paid.body.totals, inv.totals);
    const now = await pay(inv.id, { status: 'paid' });
    assert.equal(now.body.paidAt, clock.now().toISOString());
    const unpaid = await pay(inv.id, { status: 'unpaid' });
    assert.equal(unpaid.body.status, 'unpaid');
    assert.equal(unpaid.body.paidAt, null);
    assert.equal((await pay(inv.id, { status: 'paid', paidAt: '2030-01-01T00:00:00.000Z' })).body.error.code, 'paid_at_in_future');
    assert.equal((await pay(inv.id, { status: 'refunded' })).status, 400);
    const cn = await ok(b, 'POST', `/api/v1/invoices/${inv.id}/credit-note`);
    const r = await pay(cn.id, { status: 'paid' });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'credit_note_has_no_payment');
  });

  it('lists by client, status, kind and issue period, newest first, page by page', async () => {
    const o = await billing(ctx);
    const c1 = await client(o, { name: 'Un' });
    const c2 = await client(o, { name: 'Deux' });
    const a = await close(o, (await readyInvoice(o, 100, c1.id)).id);
    const saved = clock.now().getTime();
    clock.advance(5 * 86_400_000); // 2026-03-20
    try {
      const bInv = await close(o, (await readyInvoice(o, 200, c2.id)).id);
      const cInv = await close(o, (await readyInvoice(o, 300, c1.id)).id);
      await ok(o, 'POST', `/api/v1/invoices/${bInv.id}/payment`, { status: 'paid' });
      const cn = await ok(o, 'POST', `/api/v1/invoices/${cInv.id}/credit-note`);
      const ids = async (q: string) => (await ok(o, 'GET', `/api/v1/invoices?${q}`)).items.map((i: { id: string }) => i.id);
      assert.deepEqual(await ids(''), [cn.id, cInv.id, bInv.id, a.id]);
      assert.deepEqual(await ids(`clientId=${c1.id}`), [cn.id, cInv.id, a.id]);
      assert.deepEqual(await ids('status=paid'), [bInv.id]);
      assert.deepEqual(await ids('status=unpaid'), [a.id]);
      assert.deepEqual(await ids('status=credited'), [cInv.id]);
      assert.deepEqual(await ids('kind=credit_note'), [cn.id]);
      assert.deepEqual(await ids('from=2026-03-16'), [cn.id, cInv.id, bInv.id]);
      assert.deepEqual(await ids('to=2026-03-15'), [a.id]);
      assert.deepEqual(await ids('from=2026-03-20&to=2026-03-20&kind=invoice'), [cInv.id, bInv.id]);
      const p1 = await ok(o, 'GET', '/api/v1/invoices?limit=3');
      const p2 = await ok(o, 'GET', `/api/v1/invoices?limit=3&cursor=${p1.nextCursor}`);
      assert.deepEqual(
        [...p1.items, ...p2.items].map((i: { id: string }) => i.id),
        [cn.id, cInv.id, bInv.id, a.id],
      );
      assert.equal(p2.nextCursor, null);
      assert.equal((await ctx.call('GET', '/api/v1/invoices?status=void', o.org.token)).status, 400);
    } finally {
      clock.advance(saved - clock.now().getTime());
    }
  });

  it('finds invoices by part of their number, case-insensitive, with % and _ taken literally', async () => {
    const o = await billing(ctx);
    const first = await close(o, (await readyInvoice(o)).id);
    const second = await close(o, (await readyInvoice(o)).id);
    const ids = async (q: string) => (await ok(o, 'GET', `/api/v1/invoices?q=${encodeURIComponent(q)}`)).items.map((i: { id: string }) => i.id);
    assert.deepEqual(await ids(second.number), [second.id]);
    assert.deepEqual(await ids(first.number.toLowerCase()), [first.id]);
    assert.deepEqual(await ids(first.number.slice(0, 3)), [second.id, first.id]);
    assert.deepEqual(await ids('%'), []);
    assert.deepEqual(await ids('_'), []);
  });

  it('answers 403 to technicians and 404 for another organization’s invoice, on every route', async () => {
    const inv = await close(b, (await readyInvoice(b)).id);
    const other = await billing(ctx);
    for (const [method, url, body] of [
      ['GET', '/api/v1/invoices', undefined],
      ['GET', `/api/v1/invoices/${inv.id}`, undefined],
      ['GET', `/api/v1/invoices/${inv.id}/lines`, undefined],
      ['POST', `/api/v1/invoices/${inv.id}/payment`, { status: 'paid' }],
      ['POST', `/api/v1/invoices/${inv.id}/credit-note`, undefined],
    ] as const) {
      assert.equal((await ctx.call(method, url, tech.token, body)).status, 403, `${method} ${url}`);
      if (url === '/api/v1/invoices') continue;
      const r = await ctx.call(method, url, other.org.token, body);
      assert.equal(r.status, 404, `${method} ${url}`);
      assert.equal(r.body.error.code, 'invoice_not_found');
    }
    assert.equal((await ok(other, 'GET', '/api/v1/invoices')).items.length, 0);
    assert.equal((await ok(b, 'GET', `/api/v1/invoices/${inv.id}`)).status, 'unpaid', 'nothing changed');
  });
});
