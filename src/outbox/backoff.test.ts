import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE_DELAY_MS, MAX_DELAY_MS, retryDelayMs } from './backoff.ts';

describe('retryDelayMs', () => {
  it('doubles from 30 s after each failed attempt and never waits more than an hour', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => retryDelayMs(n, () => 1)),
      [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, MAX_DELAY_MS, MAX_DELAY_MS],
    );
  });

  it('takes off up to half at random, so failed rows do not all come back together', () => {
    assert.equal(
      retryDelayMs(1, () => 0),
      BASE_DELAY_MS / 2,
    );
    assert.equal(
      retryDelayMs(12, () => 0),
      MAX_DELAY_MS / 2,
    );
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs(3);
      assert.ok(d >= 60_000 && d <= 120_000, String(d));
    }
  });
});
