import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../shared/errors.ts';
import { formatRatePercent, parseRatePercent } from './tax-rate.ts';
import { PROVINCES, TAX_RATES, taxesFor } from './tax-rates.ts';

const summary = (region: string, date: string) => taxesFor(region, date).map((r) => `${r.tax} ${r.ratePercent}`);
const rejectsWith = (code: string) => (e: unknown) => e instanceof AppError && e.type === 'invalid' && e.code === code;

describe('taxesFor', () => {
  it('gives GST 5% and QST 9.975% in Quebec, GST first', () => {
    assert.deepEqual(summary('QC', '2025-06-01'), ['GST 5', 'QST 9.975']);
    assert.deepEqual(
      taxesFor('QC', '2025-06-01').map((r) => r.ratePer100k),
      [5000, 9975],
    );
  });

  it('gives GST alone in the PST provinces and the territories', () => {
    for (const region of ['AB', 'BC', 'MB', 'SK', 'NT', 'NU', 'YT']) assert.deepEqual(summary(region, '2025-06-01'), ['GST 5'], region);
  });

  it('gives HST 13% in Ontario and 15% in NB, NL and PE', () => {
    assert.deepEqual(summary('ON', '2025-06-01'), ['HST 13']);
    for (const region of ['NB', 'NL', 'PE']) assert.deepEqual(summary(region, '2025-06-01'), ['HST 15'], region);
  });

  it('switches Nova Scotia from 15% to 14% HST on 2025-04-01', () => {
    assert.deepEqual(summary('NS', '2025-03-31'), ['HST 15']);
    assert.deepEqual(summary('NS', '2025-04-01'), ['HST 14']);
  });

  it('gives no tax to an exempt client', () => {
    assert.deepEqual(taxesFor('exempt', '2025-06-01'), []);
  });

  it('refuses an unknown region with unknown_tax_region', () => {
    for (const region of ['XX', 'qc', '', 'Exempt']) assert.throws(() => taxesFor(region, '2025-06-01'), rejectsWith('unknown_tax_region'));
  });

  it('refuses a date that is not a calendar date', () => {
    for (const date of ['2025-02-30', '2025-6-1', '2025-06-01T00:00:00Z', '']) {
      assert.throws(() => taxesFor('ON', date), rejectsWith('invalid_tax_date'), date);
    }
  });

  it('refuses a date before the data covers every tax of the region, rather than under-taxing', () => {
    // QST 9.975% starts 2013-01-01; before it Quebec would otherwise get GST alone.
    assert.throws(() => taxesFor('QC', '2012-12-31'), rejectsWith('tax_rates_unknown_for_date'));
    assert.deepEqual(summary('QC', '2013-01-01'), ['GST 5', 'QST 9.975']);
  });
});

describe('tax rate data', () => {
  it('has, for every province, rows that never overlap for the same tax', () => {
    for (const region of PROVINCES) {
      const rows = TAX_RATES.filter((r) => r.region === region);
      assert.ok(rows.length > 0, region);
      for (const a of rows) {
        assert.ok(a.effectiveTo === undefined || a.effectiveFrom <= a.effectiveTo, `${region} ${a.tax}`);
        for (const b of rows) {
          if (a === b || a.tax !== b.tax) continue;
          const disjoint = (a.effectiveTo !== undefined && a.effectiveTo < b.effectiveFrom) || (b.effectiveTo !== undefined && b.effectiveTo < a.effectiveFrom);
          assert.ok(disjoint, `${region} ${a.tax} periods overlap`);
        }
      }
    }
  });

  it('never combines HST with GST in one region', () => {
    for (const region of PROVINCES) {
      const taxes = new Set(TAX_RATES.filter((r) => r.region === region).map((r) => r.tax));
      assert.ok(!(taxes.has('HST') && taxes.has('GST')), region);
    }
  });
});

describe('parseRatePercent', () => {
  it('holds a percent exactly as parts per 100,000 and formats it back', () => {
    assert.equal(parseRatePercent('9.975'), 9975);
    assert.equal(parseRatePercent('5'), 5000);
    assert.equal(parseRatePercent('14.5'), 14500);
    for (const text of ['9.975', '5', '14.5', '0.001']) assert.equal(formatRatePercent(parseRatePercent(text)), text);
  });

  it('refuses rates it cannot hold exactly', () => {
    for (const text of ['9.9751', '-5', '5%', '1e1', '', '100']) assert.throws(() => parseRatePercent(text), /tax rate must be a percent/, text);
  });
});
