import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withRetry } from './client.ts';
import { ApiError, NetworkError } from './errors.ts';

describe('withRetry', () => {
  it('sends the same Idempotency-Key on every attempt after a network error or a 5xx', async () => {
    const keys: string[] = [];
    const failures = [new NetworkError('down', true), new ApiError(503, 'internal', 'internal_error', 'x', {})];
    const result = await withRetry(
      async (key) => {
        keys.push(key);
        const f = failures.shift();
        if (f) throw f;
        return 'ok';
      },
      { delayMs: () => 1 },
    );
    assert.equal(result, 'ok');
    assert.equal(keys.length, 3);
    assert.equal(new Set(keys).size, 1, 'one key for the whole action');
  });

  it('does not retry a 4xx, and gives up after the last attempt', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new ApiError(400, 'invalid', 'validation_failed', 'x', {});
        },
        { delayMs: () => 1 },
      ),
      /x/,
    );
    assert.equal(calls, 1);
    calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new NetworkError('down');
        },
        { attempts: 4, delayMs: () => 1 },
      ),
      NetworkError,
    );
    assert.equal(calls, 4);
  });

  it('reuses a key given by the caller (a person pressing "retry" later)', async () => {
    const seen: string[] = [];
    await withRetry(
      async (key) => {
        seen.push(key);
      },
      { key: 'action-42' },
    );
    assert.deepEqual(seen, ['action-42']);
  });
});
