import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDollarsToCents } from './api.ts';

describe('parseDollarsToCents', () => {
  it('reads dollars as typed in French or English into whole cents', () => {
    assert.equal(parseDollarsToCents('12,50'), 1250);
    assert.equal(parseDollarsToCents('12.5'), 1250);
    assert.equal(parseDollarsToCents('1 234,56 $'), 123456);
    assert.equal(parseDollarsToCents('649,99'), 64999);
    assert.equal(parseDollarsToCents('7'), 700);
  });

  it('refuses what is not an amount in cents', () => {
    for (const bad of ['', 'abc', '1,234,56', '12,345', '-5', '1e3']) assert.equal(parseDollarsToCents(bad), null, bad);
  });
});
