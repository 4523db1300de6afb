import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeResults, encodeResults, holdsSecret } from './idempotency-outcome.ts';

describe('recorded transaction results', () => {
  it('come back as they were: Dates, BigInts (insert results), undefined and nested rows', () => {
    const results = [
      undefined,
      { insertId: 12n, numInsertedOrUpdatedRows: 1n },
      { at: new Date('2026-03-02T15:00:00Z'), row: { id: 'a', n: 3, tags: ['x'] } },
      null,
      'text',
    ];
    assert.deepEqual(decodeResults(encodeResults(results)), results);
  });

  it('tell secrets apart: a filled secret, token or secrets map anywhere; not an empty one', () => {
    assert.equal(holdsSecret({ id: 't', token: 'cht_abc' }), true);
    assert.equal(holdsSecret({ rule: { id: 'r' }, secrets: { a1: 'whsec_x' } }), true);
    assert.equal(holdsSecret({ row: { id: 's' }, secret: 'abc' }), true);
    assert.equal(holdsSecret({ rule: { id: 'r' }, secrets: {} }), false);
    assert.equal(holdsSecret({ id: 't', name: 'CI', prefix: 'cht_ab', tokenHint: 'x' }), false);
  });
});
