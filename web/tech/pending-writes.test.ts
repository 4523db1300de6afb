import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DismissedWrite, pendingWritesNow, trackWrite } from './pending-writes.ts';

class Refused extends Error {}
const isRefusal = (err: unknown) => err instanceof Refused;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('trackWrite', () => {
  it('lists a write while it is sent and drops it once the server has it', async () => {
    let answer!: (v: string) => void;
    const done = trackWrite('Ligne : Tuyau', () => new Promise<string>((r) => (answer = r)), isRefusal);
    assert.deepEqual(
      pendingWritesNow().map((w) => [w.label, w.state]),
      [['Ligne : Tuyau', 'sending']],
    );
    answer('ok');
    assert.equal(await done, 'ok');
    assert.equal(pendingWritesNow().length, 0);
  });

  it('keeps a failed write with a retry that sends it again, until it goes through', async () => {
    let calls = 0;
    const send = async () => {
      calls += 1;
      if (calls === 1) throw new Error('the server cannot be reached');
      return 'saved';
    };
    const done = trackWrite('Note : porte', send, isRefusal);
    await tick();
    const [failed] = pendingWritesNow();
    assert.equal(failed.state, 'failed');
    failed.retry();
    assert.equal(await done, 'saved');
    assert.equal(calls, 2);
    assert.equal(pendingWritesNow().length, 0);
  });

  it('hands a refusal back to the form and a dismissed write to nobody', async () => {
    await assert.rejects(
      trackWrite('Ligne : 0', async () => Promise.reject(new Refused('quantity')), isRefusal),
      Refused,
    );
    assert.equal(pendingWritesNow().length, 0);
    const given = trackWrite('Photo', async () => Promise.reject(new Error('offline')), isRefusal);
    await tick();
    pendingWritesNow()[0].dismiss();
    await assert.rejects(given, DismissedWrite);
    assert.equal(pendingWritesNow().length, 0);
  });
});
