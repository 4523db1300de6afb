import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../shared/errors.ts';
import { computeTotals, TotalsAccumulator, type TotalsLine } from './totals.ts';

const taxable = (amountCents: number): TotalsLine => ({ amountCents, taxTreatment: 'taxable' });
const exempt = (amountCents: number): TotalsLine => ({ amountCents, taxTreatment: 'exempt' });
const DATE = '2025-06-01';
const taxAmounts = (t: ReturnType<typeof computeTotals>) => t.taxes.map((x) => [x.tax, x.ratePercent, x.baseCents, x.amountCents]);

describe('computeTotals', () => {
  it('taxes 100.00 in Quebec as GST 5.00 and QST 9.98 (not compounded), total 114.98', () => {
    const t = computeTotals([taxable(10_000)], 'QC', DATE);
    assert.deepEqual(t, {
      subtotalCents: 10_000,
      taxableSubtotalCents: 10_000,
      exemptSubtotalCents: 0,
      taxes: [
        { tax: 'GST', region: 'QC', ratePercent: '5', baseCents: 10_000, amountCents: 500 },
        { tax: 'QST', region: 'QC', ratePercent: '9.975', baseCents: 10_000, amountCents: 998 },
      ],
      taxCents: 1_498,
      totalCents: 11_498,
    });
  });

  it('charges 13% HST in Ontario', () => {
    const t = computeTotals([taxable(12_345)], 'ON', DATE);
    assert.deepEqual(taxAmounts(t), [['HST', '13', 12_345, 1_605]]); // 1604.85 → 1605
    assert.equal(t.totalCents, 13_950);
  });

  it('charges Nova Scotia 15% on 2025-03-31 and 14% on 2025-04-01', () => {
    assert.equal(computeTotals([taxable(10_000)], 'NS', '2025-03-31').taxCents, 1_500);
    assert.equal(computeTotals([taxable(10_000)], 'NS', '2025-04-01').taxCents, 1_400);
  });

  it('charges 15% HST in NB, NL and PE', () => {
    for (const region of ['NB', 'NL', 'PE']) {
      const t = computeTotals([taxable(10_000)], region, DATE);
      assert.deepEqual(taxAmounts(t), [['HST', '15', 10_000, 1_500]], region);
      assert.equal(t.totalCents, 11_500, region);
    }
  });

  it('charges GST alone in Alberta', () => {
    const t = computeTotals([taxable(10_000)], 'AB', DATE);
    assert.deepEqual(taxAmounts(t), [['GST', '5', 10_000, 500]]);
    assert.equal(t.totalCents, 10_500);
  });

  it('charges no tax to an exempt region', () => {
    const t = computeTotals([taxable(10_000), exempt(2_000)], 'exempt', DATE);
    assert.deepEqual(t.taxes, []);
    assert.equal(t.taxCents, 0);
    assert.equal(t.totalCents, 12_000);
  });

  it('leaves exempt lines out of the tax base', () => {
    const t = computeTotals([taxable(10_000), exempt(5_000)], 'QC', DATE);
    assert.equal(t.subtotalCents, 15_000);
    assert.equal(t.taxableSubtotalCents, 10_000);
    assert.equal(t.exemptSubtotalCents, 5_000);
    assert.deepEqual(
      t.taxes.map((x) => x.baseCents),
      [10_000, 10_000],
    );
    assert.equal(t.totalCents, 15_000 + 500 + 998);
  });

  it('rounds an exact half cent up', () => {
    assert.equal(computeTotals([taxable(10)], 'AB', DATE).taxCents, 1); // 0.5 → 1
    assert.equal(computeTotals([taxable(30)], 'AB', DATE).taxCents, 2); // 1.5 → 2
    const qst = (cents: number) => computeTotals([taxable(cents)], 'QC', DATE).taxes[1].amountCents;
    assert.equal(qst(2_000), 200); // 199.5 → 200
    assert.equal(qst(1_999), 199); // 199.40025 → 199
  });

  it('rounds each tax once per invoice, not per line', () => {
    // Per line, 0.10 × 5% = 0.5 → 1 cent each, 2 cents; on the 0.20 subtotal it is exactly 1 cent.
    assert.equal(computeTotals([taxable(10), taxable(10)], 'AB', DATE).taxCents, 1);
  });

  it('mirrors an invoice exactly for a credit (negative amounts round away from zero)', () => {
    const credit = computeTotals([taxable(-2_000)], 'QC', DATE);
    assert.deepEqual(
      credit.taxes.map((x) => x.amountCents),
      [-100, -200],
    );
    assert.equal(credit.totalCents, -2_300);
  });

  it('lists each applicable tax even when the taxable base is zero', () => {
    const t = computeTotals([exempt(1_000)], 'QC', DATE);
    assert.deepEqual(taxAmounts(t), [
      ['GST', '5', 0, 0],
      ['QST', '9.975', 0, 0],
    ]);
    assert.equal(t.totalCents, 1_000);
  });

  it('refuses an unknown region, a fractional amount and an unknown tax treatment', () => {
    const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;
    assert.throws(() => computeTotals([taxable(100)], 'ZZ', DATE), code('unknown_tax_region'));
    assert.throws(() => computeTotals([], 'ZZ', DATE), code('unknown_tax_region'));
    assert.throws(() => computeTotals([taxable(1.5)], 'ON', DATE), code('invalid_amount'));
    assert.throws(() => computeTotals([{ amountCents: 1, taxTreatment: 'zero' as never }], 'ON', DATE), code('invalid_tax_treatment'));
  });
});

describe('TotalsAccumulator', () => {
  it('gives the same totals from SQL-style subtotals (numbers, bigints or integer text) as from the lines', () => {
    const lines = [taxable(1_999), exempt(700), taxable(10_001), exempt(1)];
    const expected = computeTotals(lines, 'QC', DATE);
    const acc = new TotalsAccumulator().addSubtotals('5000', 700n).addSubtotals(7_000, '1');
    assert.deepEqual(acc.finish('QC', DATE), expected);
  });

  it('refuses subtotals that are not whole cents', () => {
    const acc = new TotalsAccumulator();
    for (const bad of ['1.5', '', 'NaN', 1e300, Number.NaN]) {
      assert.throws(
        () => acc.addSubtotals(bad, 0),
        (e: unknown) => e instanceof AppError && e.code === 'invalid_amount',
        String(bad),
      );
    }
  });

  it('refuses totals beyond what a JS number holds exactly', () => {
    const acc = new TotalsAccumulator().addSubtotals(BigInt(Number.MAX_SAFE_INTEGER), 0);
    assert.throws(
      () => acc.finish('AB', DATE),
      (e: unknown) => e instanceof AppError && e.code === 'amount_out_of_range',
    );
  });
});
