import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lineAmountCents, parseQuantity } from '../shared/money.ts';
import { RATE_SCALE } from './tax-rate.ts';
import { PROVINCES } from './tax-rates.ts';
import { computeTotals, TotalsAccumulator, type TotalsLine } from './totals.ts';

// Quantities are written the way a client sends them (up to 3 decimals) and go through the real parser.
const quantityText = fc
  .tuple(fc.integer({ min: 0, max: 9_999 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 3 }))
  .map(([whole, frac, places]) => (places === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, '0').slice(0, places)}`))
  .filter((text) => Number(text) > 0);
const unitPriceCents = fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 100_000_000 }));
const line = fc.record({ quantity: quantityText, unitPriceCents, taxable: fc.boolean() }).map(
  ({ quantity, unitPriceCents: price, taxable }): TotalsLine => ({
    amountCents: lineAmountCents(parseQuantity(quantity), price),
    taxTreatment: taxable ? 'taxable' : 'exempt',
  }),
);
const lines = fc.array(line, { maxLength: 40 });
const region = fc.constantFrom(...PROVINCES, 'exempt');
// Any calendar date from 2016-10-01 (the latest start in the data) to the end of 2030.
const date = fc.integer({ min: Date.UTC(2016, 9, 1) / 864e5, max: Date.UTC(2030, 11, 31) / 864e5 }).map((d) => new Date(d * 864e5).toISOString().slice(0, 10));

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('computeTotals, for any lines, region and date', () => {
  it('makes the total exactly the subtotal plus the sum of the taxes', () => {
    fc.assert(
      fc.property(lines, region, date, (ls, r, d) => {
        const t = computeTotals(ls, r, d);
        assert.equal(t.taxCents, sum(t.taxes.map((x) => x.amountCents)));
        assert.equal(t.totalCents, t.subtotalCents + t.taxCents);
      }),
    );
  });

  it('makes the subtotal exactly the sum of the line amounts, split into taxable and exempt', () => {
    fc.assert(
      fc.property(lines, region, date, (ls, r, d) => {
        const t = computeTotals(ls, r, d);
        assert.equal(t.subtotalCents, sum(ls.map((l) => l.amountCents)));
        assert.equal(t.taxableSubtotalCents, sum(ls.filter((l) => l.taxTreatment === 'taxable').map((l) => l.amountCents)));
        assert.equal(t.subtotalCents, t.taxableSubtotalCents + t.exemptSubtotalCents);
      }),
    );
  });

  it('gives the same money when the lines are split into groups and the groups’ subtotals summed', () => {
    const partitioned = lines.chain((ls) =>
      fc.tuple(fc.constant(ls), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: ls.length, maxLength: ls.length })),
    );
    fc.assert(
      fc.property(partitioned, region, date, ([ls, groupOf], r, d) => {
        const whole = computeTotals(ls, r, d);
        const acc = new TotalsAccumulator();
        let subtotal = 0;
        for (let g = 0; g <= 4; g++) {
          const part = computeTotals(
            ls.filter((_, i) => groupOf[i] === g),
            r,
            d,
          );
          subtotal += part.subtotalCents;
          acc.addSubtotals(part.taxableSubtotalCents, part.exemptSubtotalCents);
        }
        assert.equal(subtotal, whole.subtotalCents);
        assert.deepEqual(acc.finish(r, d), whole);
      }),
    );
  });

  it('keeps each tax within half a cent of base × rate, on the taxable subtotal', () => {
    fc.assert(
      fc.property(lines, region, date, (ls, r, d) => {
        const t = computeTotals(ls, r, d);
        for (const x of t.taxes) {
          assert.equal(x.baseCents, t.taxableSubtotalCents);
          const [whole, frac = ''] = x.ratePercent.split('.');
          const ratePer100k = BigInt(whole) * 1000n + BigInt(frac.padEnd(3, '0'));
          // |amount − base × rate| ≤ ½ cent, scaled by 2 × 100,000 to stay in integers.
          const diff = 2n * (BigInt(x.amountCents) * RATE_SCALE - BigInt(x.baseCents) * ratePer100k);
          assert.ok((diff < 0n ? -diff : diff) <= RATE_SCALE, `${x.tax} ${x.amountCents} on ${x.baseCents}`);
        }
      }),
    );
  });

  it('does not depend on the order of the lines', () => {
    fc.assert(
      fc.property(
        lines.chain((ls) => fc.tuple(fc.constant(ls), fc.shuffledSubarray(ls, { minLength: ls.length }))),
        region,
        date,
        ([ls, shuffled], r, d) => {
          assert.deepEqual(computeTotals(shuffled, r, d), computeTotals(ls, r, d));
        },
      ),
    );
  });
});
