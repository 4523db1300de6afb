import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { liveAmountCents, priceCents, quantityMilli } from './line-amount.ts';

describe('the live amount of a line', () => {
  it('reads quantities and prices typed the French or the English way, exactly', () => {
    assert.equal(quantityMilli('6,5'), 6500);
    assert.equal(quantityMilli(' 6.5 '), 6500);
    assert.equal(quantityMilli('1 000'), 1_000_000);
    assert.equal(priceCents('1 234,56'), 123456);
    assert.equal(priceCents('145.5'), 14550);
    assert.equal(priceCents('0,07'), 7);
    assert.equal(priceCents('145'), 14500);
  });

  it('refuses what the server refuses', () => {
    assert.equal(quantityMilli('1,2345'), null, 'at most 3 decimals');
    assert.equal(quantityMilli('0'), null);
    assert.equal(quantityMilli('-1'), null);
    assert.equal(quantityMilli('abc'), null);
    assert.equal(priceCents('1,234'), null, 'cents only');
    assert.equal(priceCents('-5'), null);
    assert.equal(priceCents(''), null);
  });

  it('rounds half-up to the cent like the server (2.5 × 145.33 $ = 363.33 $; 0.005 → up)', () => {
    assert.equal(liveAmountCents('2,5', '145,33'), 36333);
    assert.equal(liveAmountCents('0.5', '0.01'), 1, '0.005 rounds up');
    assert.equal(liveAmountCents('0.001', '4.99'), 0, '0.00499 rounds down');
    assert.equal(liveAmountCents('6.5', '145'), 94250);
    assert.equal(liveAmountCents('', '145'), null);
  });
});
