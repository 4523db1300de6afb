import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { newId } from '../shared/ids.ts';
import { backendPid, waitForBlocked } from '../testing/pg-locks.ts';
import { describeEachStore, testContext, type Org, type Reply, type TestContext } from '../testing/harness.ts';
import { announcingAfterCommit, afterCommit } from '../shared/after-commit.ts';
import { conflictFromDatabase, isTransientConflict } from './errors.ts';
import { retryTransient } from './transaction.ts';
import type { Executor } from './index.ts';

const label = (x: string) => ({ fr: x, en: x });
const typeBody = (key: string) => ({
  key,
  label: label(key),
  prefix: 'R',
  workflow: { initial: 'a', statuses: [{ key: 'a', label: label('a'), category: 'open' }], transitions: [] },
});

describeEachStore('writes that lose a race at the database', (store) => {
  let ctx: TestContext;
  let org: Org;

  before(async () => {
    ctx = await testContext(store);
    org = await ctx.signup();
  });
  after(() => ctx.close());

  const userBody = (email: string) => ({ name: 'Twin', email, password: 'correct horse battery', role: 'technician' });
  const statuses = (rs: Reply[]) => rs.map((r) => r.status).sort();

  it('answers 201 and 409 email_taken to two simultaneous POST /users with the same email', async () => {
    for (let round = 0; round < 4; round++) {
      const email = `twin${round}-${newId().slice(-6)}@example.com`;
      const rs = await Promise.all([
        ctx.call('POST', '/api/v1/users', org.token, userBody(email)),
        ctx.call('POST', '/api/v1/users', org.token, userBody(email.toUpperCase())),
      ]);
      assert.deepEqual(statuses(rs), [201, 409], JSON.stringify(rs.map((r) => r.body)));
      assert.equal(rs.find((r) => r.status === 409)!.body.error.code, 'email_taken');
      const rows = await ctx.deps.db.kysely.selectFrom('users').select('id').where('email_lower', '=', email).execute();
      assert.equal(rows.length, 1);
    }
  });

  it('answers 201 and 409 task_type_key_taken to two simultaneous POST /task-types with the same key', async () => {
    const rs = await Promise.all([
      ctx.call('POST', '/api/v1/task-types', org.token, typeBody('racer')),
      ctx.call('POST', '/api/v1/task-types', org.token, typeBody('racer')),
    ]);
    assert.deepEqual(statuses(rs), [201, 409], JSON.stringify(rs.map((r) => r.body)));
    assert.equal(rs.find((r) => r.status === 409)!.body.error.code, 'task_type_key_taken');
  });

  /**
   * Deterministic on PostgreSQL: another transaction inserts the same email and holds its commit
   * until the request's own insert waits on it — the request's "is the email free?" check saw
   * nothing, so only the unique constraint can refuse it.
   */
  it('answers 409 email_taken when the unique constraint, not the check, refuses the user', { skip: store !== 'postgres' }, async () => {
    const db = ctx.deps.db.kysely;
    const email = `held-${newId().slice(-6)}@example.com`;
    let reply: Promise<Reply> | undefined;
    await db.transaction().execute(async (trx) => {
      await insertUser(trx, org.orgId, email);
      const pid = await backendPid(trx);
      reply = ctx.call('POST', '/api/v1/users', org.token, userBody(email));
      await waitForBlocked(db, pid, 1);
    });
    const r = await reply!;
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'email_taken');
    assert.equal(r.body.error.details.field, 'email');
  });

  it('maps any other unique violation to 409 already_exists, leaking no constraint name', async () => {
    const db = ctx.deps.db.kysely;
    const row = {
      id: newId(),
      org_id: org.orgId,
      user_id: org.userId,
      kind: 'token' as const,
      name: 'x',
      token_hash: `h-${newId()}`,
      prefix: 'cht_x',
      created_at: new Date().toISOString(),
      expires_at: null,
      revoked_at: null,
      last_used_at: null,
    };
    await db.insertInto('sessions').values(row).execute();
    const err = await db
      .insertInto('sessions')
      .values({ ...row, id: newId() })
      .execute()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err, 'the duplicate token hash was refused');
    const mapped = conflictFromDatabase(err);
    assert.equal(mapped?.status, 409);
    assert.equal(mapped?.code, 'already_exists');
    assert.doesNotMatch(JSON.stringify(mapped?.toBody()), /token_hash|sessions/);
    assert.equal(conflictFromDatabase(new Error('something else')), undefined, 'other errors stay 500s');
  });

  it('runs a transaction again when it loses a deadlock, so both sides commit; unretried, the loser maps to 409 write_conflict', {
    skip: store !== 'postgres',
  }, async () => {
    const db = ctx.deps.db.kysely;
    const [a, b] = [
      await insertUser(db, org.orgId, `dl-a-${newId().slice(-6)}@example.com`),
      await insertUser(db, org.orgId, `dl-b-${newId().slice(-6)}@example.com`),
    ];
    let tries = 0;
    const said: string[] = [];
    // Each side locks one row, waits until the other holds its row, then wants the other's row.
    const gate = barrier(2);
    const side = (first: string, second: string, name: string) => async () => {
      tries += 1;
      const mine = tries <= 2;
      await db.transaction().execute(async (trx) => {
        await sql`update users set name = ${name} where id = ${first}`.execute(trx);
        afterCommit(() => said.push(name));
        if (mine) await gate();
        await sql`update users set name = ${name} where id = ${second}`.execute(trx);
      });
    };
    const settled = await Promise.allSettled([
      announcingAfterCommit(() => retryTransient(side(a, b, 'left'))),
      announcingAfterCommit(() => retryTransient(side(b, a, 'right'))),
    ]);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'fulfilled'],
      JSON.stringify(settled),
    );
    assert.equal(tries, 3, 'one side lost the deadlock and ran once more');
    assert.deepEqual(said.sort(), ['left', 'right'], 'the failed attempt announced nothing');

    const gate2 = barrier(2);
    const once = (first: string, second: string) =>
      db.transaction().execute(async (trx) => {
        await sql`update users set name = 'x' where id = ${first}`.execute(trx);
        await gate2();
        await sql`update users set name = 'x' where id = ${second}`.execute(trx);
      });
    const raw = await Promise.allSettled([once(a, b), once(b, a)]);
    const lost = raw.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    assert.ok(lost, 'one side lost the deadlock');
    const mapped = conflictFromDatabase(lost.reason);
    assert.equal(mapped?.status, 409);
    assert.equal(mapped?.code, 'write_conflict');
    // As an automation reports what its action met: wrapped, still a retryable conflict.
    const wrapped = new Error('automation "x" crashed', { cause: lost.reason });
    assert.equal(isTransientConflict(wrapped), true);
    assert.equal(conflictFromDatabase(wrapped)?.code, 'write_conflict');
  });
});

async function insertUser(db: Executor, orgId: string, email: string): Promise<string> {
  const now = new Date().toISOString();
  const id = newId();
  await db
    .insertInto('users')
    .values({
      id,
      org_id: orgId,
      name: 'Held',
      email,
      email_lower: email.toLowerCase(),
      password_hash: 'x',
      role: 'technician',
      active: 1,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
  return id;
}

/** Resolves for everyone once `n` callers are waiting. */
function barrier(n: number): () => Promise<void> {
  let waiting = 0;
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return () => {
    waiting += 1;
    if (waiting >= n) open();
    return opened;
  };
}
