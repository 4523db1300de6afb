import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, type TestContext } from '../testing/harness.ts';
import { allInvoiceLines, billing, billingContext, client, close, invoiceTask, line, move, ok, workTask, type Billing } from './testkit.ts';

describeEachStore("a credit note's released work", (store) => {
  let ctx: TestContext;
  let b: Billing;
  before(async () => {
    ({ ctx } = await billingContext(store));
    b = await billing(ctx);
    await ok(b, 'POST', `/api/v1/automations/${b.progressiveRuleId}/enable`);
  });
  after(() => ctx.close());

  it("goes into the client's open invoice task in the credit note's transaction, not the one after it", async () => {
    const c = await client(b, { name: 'Réseau Boréal' });
    const march = await invoiceTask(b, c.id, 'Facture mars');
    const work = await workTask(b, { title: 'Fibre — Cedar', clientId: c.id });
    const workLine = await line(b, work.id, 'Installation', '1', 10_000);
    assert.equal((await move(b, work.id, 'completed')).status, 200);
    const inv = await close(b, march.id);
    const april = await invoiceTask(b, c.id, 'Facture avril'); // next month's, open before the credit

    const r = await ok(b, 'POST', `/api/v1/invoices/${inv.id}/credit-note`);
    assert.equal(r.released, 1);
    assert.equal((await ok(b, 'GET', `/api/v1/clients/${c.id}/unbilled`)).items.length, 0, 'nothing waits as unbilled');
    assert.equal((await ok(b, 'GET', `/api/v1/tasks/${work.id}`)).parentId, april.id);
    const lines = (await ok(b, 'GET', `/api/v1/tasks/${april.id}/lines`)).items;
    assert.deepEqual(
      lines.map((l: { source: { taskId: string } | null }) => l.source?.taskId),
      [work.id],
    );

    const next = await close(b, april.id);
    assert.equal(next.totals.subtotalCents, workLine.amountCents);
    assert.deepEqual(
      (await allInvoiceLines(b, next.id)).map((l: { description: string }) => l.description),
      ['Installation'],
    );
  });

  it('ends in the new invoice task exactly once when the credit note races with its creation', async () => {
    for (let round = 0; round < 5; round++) {
      const c = await client(b, { name: `Course ${round}` });
      const t = await invoiceTask(b, c.id, 'Facture mars');
      const work = await workTask(b, { title: 'Fibre', clientId: c.id });
      await line(b, work.id, 'Installation', '1', 10_000);
      await line(b, work.id, 'Matériel', '2', 2_500);
      assert.equal((await move(b, work.id, 'completed')).status, 200);
      const inv = await close(b, t.id);
      const [credited, created] = await Promise.all([
        b.ctx.call('POST', `/api/v1/invoices/${inv.id}/credit-note`, b.org.token),
        b.ctx.call('POST', '/api/v1/tasks', b.org.token, { typeId: b.invoiceTypeId, title: 'Facture avril', clientId: c.id }),
      ]);
      assert.equal(credited.status, 201, JSON.stringify(credited.body));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal((await ok(b, 'GET', `/api/v1/clients/${c.id}/unbilled`)).items.length, 0);
      const lines = (await ok(b, 'GET', `/api/v1/tasks/${created.body.id}/lines`)).items;
      assert.deepEqual(lines.map((l: { description: string }) => l.description).sort(), ['Installation', 'Matériel']);
    }
  });

  it('waits as unbilled when the client has no open invoice task', async () => {
    const c = await client(b, { name: 'Famille Roy' });
    const t = await invoiceTask(b, c.id, 'Facture mars');
    const work = await workTask(b, { title: 'Pavage', clientId: c.id });
    await line(b, work.id, 'Asphalte', '2', 12_000);
    assert.equal((await move(b, work.id, 'completed')).status, 200);
    const inv = await close(b, t.id);
    await ok(b, 'POST', `/api/v1/invoices/${inv.id}/credit-note`);
    const unbilled = await ok(b, 'GET', `/api/v1/clients/${c.id}/unbilled`);
    assert.deepEqual(
      unbilled.items.map((i: { task: { id: string } }) => i.task.id),
      [work.id],
    );
  });
});
