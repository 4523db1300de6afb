import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../shared/errors.ts';
import { checkNumberPattern, DEFAULT_INVOICE_NUMBER_PATTERN, formatInvoiceNumber, numberCounterName } from './number-pattern.ts';

const refused = (e: unknown) => e instanceof AppError && e.code === 'invalid_invoice_number_pattern';

describe('invoice number patterns', () => {
  it('formats the default pattern as F-2026-00001 and pads without ever truncating', () => {
    assert.equal(formatInvoiceNumber(DEFAULT_INVOICE_NUMBER_PATTERN, '2026-03-15', 1), 'F-2026-00001');
    assert.equal(formatInvoiceNumber(DEFAULT_INVOICE_NUMBER_PATTERN, '2026-03-15', 123456), 'F-2026-123456');
    assert.equal(formatInvoiceNumber('INV{yy}{mm}-{seq}', '2026-03-15', 42), 'INV2603-42');
  });

  it('takes the sequence per year when the pattern shows the year, else from one counter', () => {
    assert.equal(numberCounterName('F-{yyyy}-{seq:5}', '2026-12-31'), 'invoice:2026');
    assert.equal(numberCounterName('F{yy}-{seq}', '2027-01-01'), 'invoice:2027');
    assert.equal(numberCounterName('F-{mm}-{seq}', '2027-01-01'), 'invoice');
    assert.equal(numberCounterName('{seq:6}', '2027-01-01'), 'invoice');
  });

  it('accepts the documented tokens', () => {
    for (const p of ['F-{yyyy}-{seq:5}', '{seq}', 'INV {yy}{mm} #{seq:12}', 'A_B.{seq:1}']) checkNumberPattern(p);
  });

  it('refuses a pattern without exactly one {seq}, with unknown tokens, stray braces, or unsafe characters', () => {
    for (const p of [
      'F-{yyyy}',
      '{seq}{seq:3}',
      'F-{year}-{seq}',
      'F-{seq:0}',
      'F-{seq:13}',
      'F-{seq',
      'F-}{seq}',
      'F/{seq}',
      'F\\{seq}',
      '',
      `${'x'.repeat(41)}{seq}`,
    ]) {
      assert.throws(() => checkNumberPattern(p), refused, p);
    }
  });
});
