import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { allLines, billing, complete, enable, invoice, move, world, type World } from './testkit.ts';

describeEachStore('progressive billing', (store) => {
  let ctx: TestContext;
  let w: World;
  let h: ReturnType<typeof billing>;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    h = billing(w);
    await enable(w, w.rules.progressive);
  });
  after(() => ctx.close());

  const close = async (invoiceId: string) => assert.equal((await move(w, invoiceId, 'closed')).status, 200);

  it("puts a completed work task's lines into the client's open invoice and makes it a sub-task of it", async () => {
    const c = await h.client();
    const inv = await h.openInvoice(c);
    const job = await h.work(c);
    await complete(w, job.id);
    assert.equal((await h.getTask(job.id)).parentId, inv.id);
    assert.deepEqual(await h.sources(inv.id), job.lineIds);
    const view = await invoice(w, inv.id);
    assert.equal(view.totals.subtotalCents, job.subtotal);
    assert.equal(view.groups[0].source.taskId, job.id);
    assert.deepEqual((await h.unbilled(c)).items, []);
  });

  it('fills the oldest open invoice when the client has two', async () => {
    const c = await h.client();
    const oldest = await h.openInvoice(c, 'Mars');
    const newer = await h.openInvoice(c, 'Avril');
    const job = await h.work(c);
    await complete(w, job.id);
    assert.equal((await h.getTask(job.id)).parentId, oldest.id);
    assert.equal((await allLines(w, oldest.id)).length, 2);
    assert.equal((await allLines(w, newer.id)).length, 0);
  });

  it('keeps the content pending with no open invoice, and the next invoice created sweeps it in', async () => {
    const c = await h.client();
    const job = await h.work(c);
    await complete(w, job.id);
    assert.equal((await h.getTask(job.id)).parentId, null);
    const pending = await h.unbilled(c);
    assert.equal(pending.items.length, 1);
    assert.equal(pending.items[0].task.id, job.id);
    assert.equal(pending.items[0].task.displayNumber, job.displayNumber);
    assert.deepEqual(pending.items[0].lines.map((l: { id: string }) => l.id).sort(), job.lineIds);
    assert.equal(pending.items[0].subtotalCents, job.subtotal);
    assert.equal(pending.subtotalCents, job.subtotal);

    const inv = await h.openInvoice(c, 'Avril');
    const view = await invoice(w, inv.id);
    assert.equal(view.totals.subtotalCents, job.subtotal);
    assert.deepEqual(await h.sources(inv.id), job.lineIds);
    assert.equal((await h.getTask(job.id)).parentId, inv.id);
    assert.deepEqual(await h.unbilled(c), { items: [], subtotalCents: 0, nextCursor: null });
  });

  it('never changes a closed invoice: later work goes to the next open invoice, or waits', async () => {
    const c = await h.client();
    const march = await h.openInvoice(c, 'Mars');
    const first = await h.work(c, 'Premier');
    await complete(w, first.id);
    await close(march.id);
    const frozen = await invoice(w, march.id);

    const second = await h.work(c, 'Deuxième');
    await complete(w, second.id);
    assert.deepEqual(await h.pendingIds(c), second.lineIds);
    const april = await h.openInvoice(c, 'Avril');
    const third = await h.work(c, 'Troisième');
    await complete(w, third.id);
    assert.deepEqual(await h.sources(april.id), [...second.lineIds, ...third.lineIds].sort());
    assert.deepEqual(await invoice(w, march.id), frozen);
    assert.equal((await h.getTask(third.id)).parentId, april.id);
  });

  it('refuses to reopen work billed on a closed invoice, naming it, and retracts it from an open one', async () => {
    const c = await h.client();
    const inv = await h.openInvoice(c);
    const billed = await h.work(c, 'Facturé');
    const undone = await h.work(c, 'Repris');
    await complete(w, billed.id);
    await complete(w, undone.id);

    const reopened = await move(w, undone.id, 'in_progress');
    assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
    assert.equal(reopened.body.parentId, null);
    assert.deepEqual(await h.sources(inv.id), billed.lineIds);
    assert.equal((await invoice(w, inv.id)).totals.subtotalCents, billed.subtotal);

    await close(inv.id);
    const refused = await move(w, billed.id, 'in_progress');
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'consolidated_into_closed_task');
    assert.equal(refused.body.error.details.taskId, inv.id);
    const still = await h.getTask(billed.id);
    assert.deepEqual([still.status, still.parentId], ['completed', inv.id]);
    assert.deepEqual(await h.sources(inv.id), billed.lineIds);
  });

  it('forgets pending work that is reopened: the next invoice does not take it', async () => {
    const c = await h.client();
    const job = await h.work(c);
    await complete(w, job.id);
    assert.equal((await move(w, job.id, 'in_progress')).status, 200);
    assert.deepEqual((await h.unbilled(c)).items, []);
    const inv = await h.openInvoice(c);
    assert.deepEqual(await h.sources(inv.id), []);
    assert.deepEqual(await allLines(w, inv.id), []);
  });
});
