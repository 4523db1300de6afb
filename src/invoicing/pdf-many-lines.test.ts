import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore, type TestContext } from '../testing/harness.ts';
import { formatMoney } from './format.ts';
import { billing, billingContext, client, close, invoiceTask, ok, pdfOf, pdfText, type Billing } from './testkit.ts';

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const OWN = 560;
const SUBTASKS = 40;

describeEachStore('invoice PDF of a project entered in bulk', (store) => {
  let ctx: TestContext;
  let b: Billing;
  before(async () => {
    ({ ctx } = await billingContext(store));
    b = await billing(ctx);
  });
  after(() => ctx.close());

  it(`prints all ${OWN + SUBTASKS} lines over several pages, each once, with totals to the cent`, async () => {
    const c = await client(b, { name: 'Réseau Boréal', language: 'fr' });
    const main = await invoiceTask(b, c.id, 'Projet fibre');
    // Sub-tasks completed under a rule that consolidates them into the invoice task.
    await ok(b, 'POST', '/api/v1/automations', {
      name: 'Into the invoice',
      enabled: true,
      trigger: { type: 'status_entered', category: 'done' },
      conditions: { hasParent: true, parentTypeIds: [b.invoiceTypeId] },
      actions: [{ id: 'consolidate', type: 'consolidate', target: 'parent', completeTargetWhenDone: false }],
    });
    const price = (i: number) => 1_000 + i * 7;
    const own = Array.from({ length: OWN }, (_, i) => ({ description: `Ligne ${i + 1} fin`, quantity: '1', unitPriceCents: price(i) }));
    assert.equal((await ok(b, 'POST', `/api/v1/tasks/${main.id}/lines/bulk`, own)).count, OWN);
    const subs = await ok(
      b,
      'POST',
      '/api/v1/tasks/bulk',
      Array.from({ length: SUBTASKS }, (_, k) => ({
        typeId: b.workTypeId,
        parentId: main.id,
        title: `Secteur ${k + 1}`,
        lines: [{ description: `Ligne ${OWN + k + 1} fin`, quantity: '1', unitPriceCents: price(OWN + k) }],
      })),
    );
    for (const t of subs.tasks) await ok(b, 'POST', `/api/v1/tasks/${t.id}/transitions`, { to: 'completed' });
    const inv = await close(b, main.id);
    const subtotal = Array.from({ length: OWN + SUBTASKS }, (_, i) => price(i)).reduce((x, y) => x + y, 0);
    assert.equal(inv.lineCount, OWN + SUBTASKS);
    assert.equal(inv.totals.subtotalCents, subtotal);
    const pdf = await pdfOf(b, inv.id);
    assert.equal(pdf.status, 200);
    const text = await pdfText(pdf.bytes);
    const pages = text.split('\f').filter((p) => p.trim()).length;
    assert.ok(pages >= 10, `${pages} pages`);
    for (let i = 1; i <= OWN + SUBTASKS; i++) {
      const found = text.split(`Ligne ${i} fin`).length - 1;
      assert.equal(found, 1, `line ${i} printed ${found} times`);
    }
    for (let k = 1; k <= SUBTASKS; k++) assert.ok(text.includes(`Secteur ${k}`), `group Secteur ${k}`);
    for (const cents of [inv.totals.subtotalCents, inv.totals.totalCents, ...inv.totals.taxes.map((x: { amountCents: number }) => x.amountCents)]) {
      assert.ok(text.includes(plain(formatMoney(cents, 'fr'))), `shows ${plain(formatMoney(cents, 'fr'))}`);
    }
    assert.equal(inv.totals.totalCents, inv.totals.subtotalCents + inv.totals.taxes.reduce((x: number, t: { amountCents: number }) => x + t.amountCents, 0));
  });
});
