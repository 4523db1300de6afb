import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { billing, complete, enable, line, move, world, type World } from './testkit.ts';

const ROUNDS = 20;

/**
 * Progressive billing under concurrent requests (on PostgreSQL they really overlap; on SQLite
 * they serialize and the same invariants must hold): a work task's lines are always in exactly
 * one place — an invoice or pending — never both, never neither, and never on a closed invoice
 * after it closed.
 */
describeEachStore('progressive billing races', (store) => {
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

  const okAll = (replies: { status: number; body: unknown }[], expected: number[]) =>
    assert.deepEqual(
      replies.map((r) => r.status),
      expected,
      JSON.stringify(replies.map((r) => r.body)),
    );

  it('puts the work in exactly one place when the invoice is closed while it completes', { timeout: 120_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const c = await h.client();
      const inv = await h.openInvoice(c, `Round ${round}`);
      await line(w, inv.id, 'Frais de dossier', '1', 500); // an empty invoice cannot close
      const job = await h.work(c, `Round ${round}`);
      okAll(await Promise.all([move(w, inv.id, 'closed'), move(w, job.id, 'completed')]), [200, 200]);
      const onInvoice = await h.sources(inv.id);
      const pending = await h.pendingIds(c);
      const label = `round ${round}: invoice ${onInvoice.length} lines, pending ${pending.length}`;
      assert.deepEqual([...onInvoice, ...pending].sort(), job.lineIds, label);
      assert.ok(onInvoice.length === 0 || pending.length === 0, label);
      assert.equal((await h.getTask(job.id)).parentId, onInvoice.length ? inv.id : null);
      if (pending.length) {
        const next = await h.openInvoice(c, `After round ${round}`);
        assert.deepEqual(await h.sources(next.id), job.lineIds);
        assert.deepEqual(await h.sources(inv.id), []);
      }
    }
  });

  it('passes over the oldest invoice when it closes meanwhile, for the next open one', { timeout: 120_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const c = await h.client();
      const oldest = await h.openInvoice(c, `Old ${round}`);
      await line(w, oldest.id, 'Frais de dossier', '1', 500);
      const next = await h.openInvoice(c, `New ${round}`);
      const job = await h.work(c, `Round ${round}`);
      okAll(await Promise.all([move(w, oldest.id, 'closed'), move(w, job.id, 'completed')]), [200, 200]);
      const [onOld, onNext] = [await h.sources(oldest.id), await h.sources(next.id)];
      assert.deepEqual([...onOld, ...onNext].sort(), job.lineIds, `round ${round}`);
      assert.ok(onOld.length === 0 || onNext.length === 0, `round ${round}`);
      assert.deepEqual(await h.pendingIds(c), []);
    }
  });

  it('sweeps pending work into one invoice when two are created at the same time', { timeout: 120_000 }, async () => {
    for (let round = 0; round < ROUNDS / 2; round++) {
      const c = await h.client();
      const job = await h.work(c, `Sweep ${round}`);
      await complete(w, job.id);
      const made = await Promise.all([h.createInvoice(c, 'A'), h.createInvoice(c, 'B')]);
      okAll(made, [201, 201]);
      const held = await Promise.all(made.map((r) => h.sources(r.body.id)));
      assert.deepEqual(held.flat().sort(), job.lineIds, `round ${round}`);
      assert.ok(held.some((x) => x.length === 0));
      assert.deepEqual(await h.pendingIds(c), []);
    }
  });

  it('never leaves work pending beside an open invoice created at the same time', { timeout: 120_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const c = await h.client();
      const job = await h.work(c, `Pair ${round}`);
      const [made, done] = await Promise.all([h.createInvoice(c, `Pair ${round}`), move(w, job.id, 'completed')]);
      okAll([made, done], [201, 200]);
      assert.deepEqual(await h.pendingIds(c), [], `round ${round}: pending beside open invoice ${made.body.displayNumber}`);
      assert.deepEqual(await h.sources(made.body.id), job.lineIds);
    }
  });

  it('never leaves the lines of reopened work on the invoice created while it reopened', { timeout: 120_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const c = await h.client();
      const job = await h.work(c, `Reopen ${round}`);
      await complete(w, job.id);
      const [reopened, made] = await Promise.all([move(w, job.id, 'in_progress'), h.createInvoice(c, `Reopen ${round}`)]);
      okAll([reopened, made], [200, 201]);
      const label = `round ${round}`;
      assert.deepEqual(await h.sources(made.body.id), [], label);
      assert.deepEqual(await h.pendingIds(c), [], label);
      assert.equal((await h.getTask(job.id)).parentId, null, label);
      // Completed again, it is billed once, on the open invoice.
      await complete(w, job.id);
      assert.deepEqual(await h.sources(made.body.id), job.lineIds, label);
    }
  });
});
