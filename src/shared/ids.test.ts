import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newId, UUID_RE } from './ids.ts';

describe('newId', () => {
  it('gives valid, distinct, strictly increasing UUIDv7s, past many refills of the random pool', () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids) assert.match(id, UUID_RE);
    assert.ok(ids.every((id) => id[14] === '7' && '89ab'.includes(id[19])));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]));
  });

  it('draws fresh random bits for every id, even within one millisecond', () => {
    const now = Date.now() + 60_000;
    const tails = Array.from({ length: 2000 }, () => newId(now).slice(19));
    assert.equal(new Set(tails).size, tails.length);
  });
});
