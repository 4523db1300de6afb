import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { computeTotals } from '../billing-math/index.ts';
import { describeEachStore, testContext, type TestContext } from '../testing/harness.ts';
import { enable, invoice, move, ok, task, world, type World } from './testkit.ts';

type ModelLine = { id: string; amountCents: number; taxTreatment: 'taxable' | 'exempt' };
type Sub = { id: string; completed: boolean; lines: ModelLine[] };

const K = 4;
const sub = fc.integer({ min: 0, max: K - 1 });
// Thousandths of a unit, sent as the decimal text a client writes ("12.5", "0.125").
const quantityMilli = fc.oneof(fc.integer({ min: 1, max: 9_999 }), fc.integer({ min: 1, max: 5_000_000 }));
const unitPriceCents = fc.oneof(fc.integer({ min: 0, max: 9_999 }), fc.integer({ min: 0, max: 2_000_000 }));
const op = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('add' as const), k: sub, quantityMilli, unitPriceCents, taxable: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('edit' as const), k: sub, quantityMilli }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('complete' as const), k: sub }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('reopen' as const), k: sub }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('completeTogether' as const), ks: fc.array(sub, { minLength: 2, maxLength: 5 }) }), weight: 2 },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

const decimal = (milli: number) => (milli % 1000 ? `${Math.trunc(milli / 1000)}.${String(milli % 1000).padStart(3, '0')}` : String(milli / 1000));
/** The oracle's own line amount: exact integers, half-up to the cent. */
const amountOf = (milli: number, price: number) => Number((BigInt(milli) * BigInt(price) * 2n + 1000n) / 2000n);

describeEachStore('consolidated money, for any sequence of edits, completions and reopenings', (store) => {
  let ctx: TestContext;
  let w: World;
  let clientId: string;
  before(async () => {
    ctx = await testContext(store);
    w = await world(ctx);
    await enable(w, w.rules.byProject);
    clientId = (await ok(w, 'POST', '/api/v1/clients', { name: 'Fibre Nord', taxRegion: 'QC' })).id;
  });
  after(() => ctx.close());

  const sourcesOn = async (taskId: string) =>
    (await ctx.deps.db.kysely.selectFrom('task_lines').select('source_id').where('task_id', '=', taskId).execute()).map((r) => r.source_id!).sort();

  async function apply(o: Op, subs: Sub[]): Promise<void> {
    if (o.kind === 'add') {
      const s = subs[o.k];
      const taxTreatment = o.taxable ? 'taxable' : 'exempt';
      const r = await ctx.call('POST', `/api/v1/tasks/${s.id}/lines`, w.org.token, {
        description: 'Travaux',
        quantity: decimal(o.quantityMilli),
        unitPriceCents: o.unitPriceCents,
        taxTreatment,
      });
      if (s.completed) return assert.equal(r.body.error?.code, 'task_closed');
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.amountCents, amountOf(o.quantityMilli, o.unitPriceCents));
      s.lines.push({ id: r.body.id, amountCents: r.body.amountCents, taxTreatment });
    } else if (o.kind === 'edit') {
      const s = subs[o.k];
      const l = s.lines[0];
      if (!l) return;
      const r = await ctx.call('PATCH', `/api/v1/tasks/${s.id}/lines/${l.id}`, w.org.token, { quantity: decimal(o.quantityMilli) });
      if (s.completed) return assert.equal(r.body.error?.code, 'task_closed');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.amountCents, amountOf(o.quantityMilli, r.body.unitPriceCents));
      l.amountCents = r.body.amountCents;
    } else if (o.kind === 'complete') {
      const s = subs[o.k];
      const r = await move(w, s.id, 'completed');
      assert.equal(r.status, s.completed ? 409 : 200, JSON.stringify(r.body));
      s.completed = true;
    } else if (o.kind === 'reopen') {
      const s = subs[o.k];
      if (!s.completed) return;
      const r = await move(w, s.id, 'in_progress');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      s.completed = false;
    } else {
      const replies = await Promise.all(o.ks.map((k) => move(w, subs[k].id, 'completed').then((r) => ({ k, r }))));
      const opened = new Set(o.ks.filter((k) => !subs[k].completed));
      for (const k of new Set(o.ks)) {
        const wins = replies.filter((x) => x.k === k && x.r.status === 200).length;
        assert.equal(wins, opened.has(k) ? 1 : 0, `sub-task ${k}: ${JSON.stringify(replies.map((x) => [x.k, x.r.status, x.r.body.error?.code]))}`);
        subs[k].completed = true;
      }
    }
  }

  /** The main task holds exactly the completed sub-tasks' lines, and its totals are theirs. */
  async function check(mainId: string, subs: Sub[], label: string): Promise<void> {
    const held = subs.filter((s) => s.completed).flatMap((s) => s.lines);
    assert.deepEqual(await sourcesOn(mainId), held.map((l) => l.id).sort(), label);
    const view = await invoice(w, mainId);
    const subtotal = held.reduce((a, l) => a + l.amountCents, 0);
    assert.equal(view.totals.subtotalCents, subtotal, label);
    assert.equal(view.totals.totalCents, subtotal + view.totals.taxes.reduce((a: number, t: { amountCents: number }) => a + t.amountCents, 0), label);
    assert.deepEqual(view.totals, computeTotals(held, 'QC', view.taxDate), label);
    const grouped = new Map<string, number>(view.groups.map((g: { source: { taskId: string }; subtotalCents: number }) => [g.source.taskId, g.subtotalCents]));
    for (const s of subs) {
      const expected = s.completed && s.lines.length ? s.lines.reduce((a, l) => a + l.amountCents, 0) : undefined;
      assert.equal(grouped.get(s.id), expected, `${label}: group of ${s.id}`);
    }
  }

  it('keeps the main task holding exactly the lines of its completed sub-tasks, to the cent', { timeout: 300_000 }, async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        round += 1;
        const main = await task(w, { title: `Projet ${round}`, clientId });
        const subs: Sub[] = [];
        for (let k = 0; k < K; k++) subs.push({ id: (await task(w, { title: `Sous-tâche ${k}`, parentId: main.id })).id, completed: false, lines: [] });
        for (const [i, o] of ops.entries()) {
          await apply(o, subs);
          await check(main.id, subs, `after op ${i} (${o.kind})`);
        }
        // Finally everything completes: the main task holds the union of every sub-task's lines.
        await apply({ kind: 'completeTogether', ks: [...subs.keys()] }, subs);
        await check(main.id, subs, 'after completing all');
      }),
      { numRuns: 20 },
    );
  });
});
