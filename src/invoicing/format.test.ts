import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes, formatDate, formatMoney, formatQuantity, formatRate, NBSP } from './format.ts';

const fr = (s: string) => s.replaceAll(' ', NBSP); // write expectations with plain spaces

describe('formatMoney', () => {
  it('formats French amounts with no-break spaces for thousands and before $', () => {
    assert.equal(formatMoney(123456, 'fr'), `1${NBSP}234,56${NBSP}$`);
    assert.equal(formatMoney(123456, 'fr').codePointAt(1), 0x00a0);
    assert.equal(formatMoney(-500, 'fr'), fr('-5,00 $'));
    assert.equal(formatMoney(0, 'fr'), fr('0,00 $'));
    assert.equal(formatMoney(7, 'fr'), fr('0,07 $'));
    assert.equal(formatMoney(-100_000_000, 'fr'), fr('-1 000 000,00 $'));
  });

  it('formats English amounts with commas and the sign before $', () => {
    assert.equal(formatMoney(123456, 'en'), '$1,234.56');
    assert.equal(formatMoney(-500, 'en'), '-$5.00');
    assert.equal(formatMoney(0, 'en'), '$0.00');
    assert.equal(formatMoney(99, 'en'), '$0.99');
    assert.equal(formatMoney(-123_456_789, 'en'), '-$1,234,567.89');
  });

  it('formats the largest safe integer and bigints beyond it exactly', () => {
    assert.equal(formatMoney(Number.MAX_SAFE_INTEGER, 'en'), '$90,071,992,547,409.91');
    assert.equal(formatMoney(Number.MAX_SAFE_INTEGER, 'fr'), fr('90 071 992 547 409,91 $'));
    assert.equal(formatMoney(10n ** 20n + 1n, 'en'), '$1,000,000,000,000,000,000.01');
  });

  it('refuses a fractional or unsafe number of cents rather than round it', () => {
    assert.throws(() => formatMoney(12.5, 'fr'), RangeError);
    assert.throws(() => formatMoney(2 ** 60, 'en'), RangeError);
  });

  it('writes another currency by its code', () => {
    assert.equal(formatMoney(123456, 'en', 'USD'), `USD${NBSP}1,234.56`);
    assert.equal(formatMoney(123456, 'fr', 'EUR'), fr('1 234,56 EUR'));
  });
});

describe('formatRate', () => {
  it('writes Quebec rates the French and the English way', () => {
    assert.equal(formatRate('9.975', 'fr'), fr('9,975 %'));
    assert.equal(formatRate('5', 'fr'), fr('5 %'));
    assert.equal(formatRate('9.975', 'en'), '9.975%');
    assert.equal(formatRate('13', 'en'), '13%');
  });

  it('refuses a rate that is not exact percent text', () => {
    assert.throws(() => formatRate('abc', 'fr'), RangeError);
  });
});

describe('formatDate', () => {
  it('writes calendar dates in words', () => {
    assert.equal(formatDate('2026-03-03', 'fr'), '3 mars 2026');
    assert.equal(formatDate('2026-03-03', 'en'), 'March 3, 2026');
    assert.equal(formatDate('2026-08-01', 'fr'), '1er août 2026');
    assert.equal(formatDate('2026-12-31', 'en'), 'December 31, 2026');
  });

  it('takes the local date of an instant in the given zone', () => {
    // 02:00 UTC on March 3 is still March 2 in Montreal and already March 3 in Paris.
    assert.equal(formatDate('2026-03-03T02:00:00Z', 'fr', 'America/Montreal'), '2 mars 2026');
    assert.equal(formatDate('2026-03-03T02:00:00Z', 'en', 'Europe/Paris'), 'March 3, 2026');
  });

  it('refuses text that is not a date', () => {
    assert.throws(() => formatDate('2026-02-30', 'fr'), RangeError);
    assert.throws(() => formatDate('March 3', 'en'), RangeError);
  });
});

describe('formatQuantity', () => {
  it('uses the locale decimal mark and thousands separator', () => {
    assert.equal(formatQuantity('12.5', 'fr'), '12,5');
    assert.equal(formatQuantity('1250.125', 'fr'), fr('1 250,125'));
    assert.equal(formatQuantity('1250.125', 'en'), '1,250.125');
    assert.equal(formatQuantity('3', 'en'), '3');
  });
});

describe('formatBytes', () => {
  it('writes sizes in binary units with one decimal', () => {
    assert.equal(formatBytes(512, 'fr'), fr('512 o'));
    assert.equal(formatBytes(1536, 'fr'), fr('1,5 Ko'));
    assert.equal(formatBytes(1536, 'en'), `1.5${NBSP}KB`);
    assert.equal(formatBytes(5 * 1024 * 1024 + 100, 'en'), `5.0${NBSP}MB`);
  });
});
