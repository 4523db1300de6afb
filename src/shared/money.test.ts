import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AppError } from './errors.ts';
import { divRoundHalfUp, formatQuantity, lineAmountCents, MAX_QUANTITY_MILLI, parseQuantity } from './money.ts';

describe('parseQuantity', () => {
  it('reads decimal text and numbers exactly into thousandths', () => {
    assert.equal(parseQuantity('1'), 1_000);
    assert.equal(parseQuantity('1.5'), 1_500);
    assert.equal(parseQuantity('0.001'), 1);
    assert.equal(parseQuantity(2.25), 2_250);
    assert.equal(parseQuantity('1000000'), MAX_QUANTITY_MILLI);
  });

  it('refuses negatives, zero, a fourth decimal, exponents, words and more than a million', () => {
    for (const bad of ['-1', '0', '1.0001', '1e3', 'abc', '', 1000001, -1, 0, 1e21, Number.NaN]) {
      assert.throws(
        () => parseQuantity(bad),
        (e: unknown) => e instanceof AppError && e.type === 'invalid' && e.code === 'invalid_quantity',
        String(bad),
      );
    }
  });
});

describe('formatQuantity', () => {
  it('writes the shortest exact decimal', () => {
    assert.equal(formatQuantity(12_500), '12.5');
    assert.equal(formatQuantity(1), '0.001');
    assert.equal(formatQuantity(3_000), '3');
  });

  it('round-trips through parseQuantity for every valid quantity', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: MAX_QUANTITY_MILLI }), (milli) => parseQuantity(formatQuantity(milli)) === milli));
  });
});

describe('lineAmountCents', () => {
  it('multiplies quantity by unit price and rounds half a cent up', () => {
    assert.equal(lineAmountCents(1_500, 1), 2); // 1.5 → 2
    assert.equal(lineAmountCents(2_500, 1), 3); // 2.5 → 3, not banker's 2
    assert.equal(lineAmountCents(1, 500), 1); // 0.5 → 1
    assert.equal(lineAmountCents(1, 499), 0); // 0.499 → 0
    assert.equal(lineAmountCents(2_250, 1_999), 4_498); // 4497.75 → 4498
  });

  it('stays exact at the largest quantity and price', () => {
    assert.equal(lineAmountCents(MAX_QUANTITY_MILLI, 100_000_000), 100_000_000_000_000);
    assert.equal(lineAmountCents(999_999_999, 99_999_999), 99_999_998_900_000); // 99,999,998,900,000.001 → …000
  });
});

describe('divRoundHalfUp', () => {
  it('rounds halves away from zero on both sides', () => {
    assert.equal(divRoundHalfUp(5n, 10n), 1n);
    assert.equal(divRoundHalfUp(-5n, 10n), -1n);
    assert.equal(divRoundHalfUp(4n, 10n), 0n);
    assert.equal(divRoundHalfUp(-15n, 10n), -2n);
  });
});
