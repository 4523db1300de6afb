import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastOf } from './context.ts';

describe('lastOf', () => {
  it('answers for the argument given, never with the result remembered for another', () => {
    let calls = 0;
    const upper = lastOf((s) => {
      calls++;
      return s.toUpperCase();
    });
    assert.equal(upper('a'), 'A');
    assert.equal(upper('a'), 'A');
    assert.equal(calls, 1, 'the same argument twice in a row is computed once');
    assert.equal(upper('b'), 'B');
    assert.equal(upper('a'), 'A');
    assert.equal(calls, 3);
  });
});
