import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { allLines, complete, enable, invoice, line, move, ok, task, world, type World } from './testkit.ts';

describeEachStore('progressive billing', (store) => {
  let ctx: TestContext;
  let w: World;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    await enable(w, w.rules.progressive);
  });
  after(() => ctx.close());

  let n = 0;
  const client = async () => (await ok(w, 'POST', '/api/v1/clients', { name: `Client ${++n}`, taxRegion: 'QC' })).id as string;
  const openInvoice = (clientId: string, title = 'Facture') => task(w, { typeId: w.invoiceTypeId, title, clientId });
  const close = async (invoiceId: string) => assert.equal((await move(w, invoiceId, 'closed')).status, 200);
  const unbilled = (clientId: string) => ok(w, 'GET', `/api/v1/clients/${clientId}/unbilled`);
  const getTask = (id: string) => ok(w, 'GET', `/api/v1/tasks/${id}`);
  /** A top-level work task for the client with two lines; returns it and its line ids. */
  async function work(clientId: string, title = 'Fibre') {
    const t = await task(w, { title, clientId });
    const a = await line(w, t.id, `${title} — pose`, '3.5', 4200);
    const b = await line(w, t.id, `${title} — matériel`, '1', 999, 'exempt');
    return { ...t, lineIds: [a.id, b.id], subtotal: a.amountCents + b.amountCents };
  }
  /** Ids of the source lines copied onto a task. */
  const copiedFrom = async (taskId: string) => (await allLines(w, taskId)).length && sources(taskId);
  const sources = (taskId: string) =>
    ctx.deps.db.kysely
      .selectFrom('task_lines')
      .select('source_id')
      .where('task_id', '=', taskId)
      .orderBy('source_id')
      .execute()
      .then((rs) => rs.map((r) => r.source_id));
  const pendingIds = async (clientId: string) =>
    (await unbilled(clientId)).items.flatMap((i: { lines: { id: string }[] }) => i.lines.map((l) => l.id)).sort();

  it("puts a completed work task's lines into the client's open invoice and makes it a sub-task of it", async () => {
    const c = await client();
    const inv = await openInvoice(c);
    const job = await work(c);
    await complete(w, job.id);
    assert.equal((await getTask(job.id)).parentId, inv.id);
    assert.deepEqual(await sources(inv.id), [...job.lineIds].sort());
    const view = await invoice(w, inv.id);
    assert.equal(view.totals.subtotalCents, job.subtotal);
    assert.equal(view.groups[0].source.taskId, job.id);
    assert.deepEqual((await unbilled(c)).items, []);
  });

  it('fills the oldest open invoice when the client has two', async () => {
    const c = await client();
    const oldest = await openInvoice(c, 'Mars');
    const newer = await openInvoice(c, 'Avril');
    const job = await work(c);
    await complete(w, job.id);
    assert.equal((await getTask(job.id)).parentId, oldest.id);
    assert.equal((await allLines(w, oldest.id)).length, 2);
    assert.equal((await allLines(w, newer.id)).length, 0);
  });

  it('keeps the content pending with no open invoice, and the next invoice created sweeps it in', async () => {
    const c = await client();
    const job = await work(c);
    await complete(w, job.id);
    assert.equal((await getTask(job.id)).parentId, null);
    const pending = await unbilled(c);
    assert.equal(pending.items.length, 1);
    assert.equal(pending.items[0].task.id, job.id);
    assert.equal(pending.items[0].task.displayNumber, job.displayNumber);
    assert.deepEqual(pending.items[0].lines.map((l: { id: string }) => l.id).sort(), [...job.lineIds].sort());
    assert.equal(pending.items[0].subtotalCents, job.subtotal);
    assert.equal(pending.subtotalCents, job.subtotal);

    const inv = await openInvoice(c, 'Avril');
    const view = await invoice(w, inv.id);
    assert.equal(view.totals.subtotalCents, job.subtotal);
    assert.deepEqual(await sources(inv.id), [...job.lineIds].sort());
    assert.equal((await getTask(job.id)).parentId, inv.id);
    assert.deepEqual(await unbilled(c), { items: [], subtotalCents: 0, nextCursor: null });
  });

  it('never changes a closed invoice: later work goes to the next open invoice, or waits', async () => {
    const c = await client();
    const march = await openInvoice(c, 'Mars');
    const first = await work(c, 'Premier');
    await complete(w, first.id);
    await close(march.id);
    const frozen = await invoice(w, march.id);

    const second = await work(c, 'Deuxième');
    await complete(w, second.id);
    assert.deepEqual(await pendingIds(c), [...second.lineIds].sort());
    const april = await openInvoice(c, 'Avril');
    const third = await work(c, 'Troisième');
    await complete(w, third.id);
    assert.deepEqual(await sources(april.id), [...second.lineIds, ...third.lineIds].sort());
    assert.deepEqual(await invoice(w, march.id), frozen);
    assert.equal((await getTask(third.id)).parentId, april.id);
  });

  it('refuses to reopen work billed on a closed invoice, naming it, and retracts it from an open one', async () => {
    const c = await client();
    const inv = await openInvoice(c);
    const billed = await work(c, 'Facturé');
    const undone = await work(c, 'Repris');
    await complete(w, billed.id);
    await complete(w, undone.id);

    const reopened = await move(w, undone.id, 'in_progress');
    assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
    assert.equal(reopened.body.parentId, null);
    assert.deepEqual(await sources(inv.id), [...billed.lineIds].sort());
    assert.equal((await invoice(w, inv.id)).totals.subtotalCents, billed.subtotal);

    await close(inv.id);
    const refused = await move(w, billed.id, 'in_progress');
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'consolidated_into_closed_task');
    assert.equal(refused.body.error.details.taskId, inv.id);
    const still = await getTask(billed.id);
    assert.deepEqual([still.status, still.parentId], ['completed', inv.id]);
    assert.deepEqual(await sources(inv.id), [...billed.lineIds].sort());
  });

  it('keeps pending work pending when it is reopened, and forgets it', async () => {
    const c = await client();
    const job = await work(c);
    await complete(w, job.id);
    assert.equal((await move(w, job.id, 'in_progress')).status, 200);
    assert.deepEqual((await unbilled(c)).items, []);
    const inv = await openInvoice(c);
    assert.equal(await copiedFrom(inv.id), 0);
  });

  it('puts the work in exactly one place when the invoice is closed while it completes', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 20; round++) {
      const c = await client();
      const inv = await openInvoice(c, `Round ${round}`);
      const job = await work(c, `Round ${round}`);
      const [closing, completing] = await Promise.all([move(w, inv.id, 'closed'), move(w, job.id, 'completed')]);
      assert.equal(closing.status, 200, JSON.stringify(closing.body));
      assert.equal(completing.status, 200, JSON.stringify(completing.body));
      const expected = [...job.lineIds].sort();
      const onInvoice = await sources(inv.id);
      const pending = await pendingIds(c);
      assert.ok(
        (onInvoice.length === 0 && pending.join() === expected.join()) || (pending.length === 0 && onInvoice.join() === expected.join()),
        `round ${round}: invoice ${onInvoice.length} lines, pending ${pending.length}`,
      );
      assert.equal((await getTask(job.id)).parentId, onInvoice.length ? inv.id : null);
      if (pending.length) {
        const next = await openInvoice(c, `After round ${round}`);
        assert.deepEqual(await sources(next.id), expected);
        assert.deepEqual(await sources(inv.id), []);
      }
    }
  });

  it('sweeps pending work into one invoice when two are created at the same time', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 10; round++) {
      const c = await client();
      const job = await work(c, `Sweep ${round}`);
      await complete(w, job.id);
      const made = await Promise.all([0, 1].map((i) => ctx.call('POST', '/api/v1/tasks', w.org.token, { typeId: w.invoiceTypeId, title: `Inv ${i}`, clientId: c })));
      assert.deepEqual(made.map((r) => r.status), [201, 201], JSON.stringify(made.map((r) => r.body)));
      const held = await Promise.all(made.map((r) => sources(r.body.id)));
      assert.deepEqual(held.flat().sort(), [...job.lineIds].sort(), `round ${round}`);
      assert.ok(held.some((h) => h.length === 0));
      assert.deepEqual((await unbilled(c)).items, []);
    }
  });

  it('never leaves work pending beside an open invoice created at the same time', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 10; round++) {
      const c = await client();
      const job = await work(c, `Pair ${round}`);
      const [made, done] = await Promise.all([
        ctx.call('POST', '/api/v1/tasks', w.org.token, { typeId: w.invoiceTypeId, title: `Pair ${round}`, clientId: c }),
        move(w, job.id, 'completed'),
      ]);
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual(await pendingIds(c), [], `round ${round}: pending beside open invoice ${made.body.displayNumber}`);
      assert.deepEqual(await sources(made.body.id), [...job.lineIds].sort());
    }
  });
});
