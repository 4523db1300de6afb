import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { observeTransactions } from '../db/transaction-context.ts';
import type { Deps } from '../deps.ts';
import { AppError, conflict, invalid } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { decodeResults, holdsSecret, keyObserver, whereKey, type KeyHold } from './idempotency-outcome.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: KeyHold;
  }
}

/** A pending key older than this is taken to belong to a request that died before committing. */
const PENDING_TIMEOUT_MS = 60_000;
export const KEY_TTL_MS = 24 * 3_600_000;

/** Failure points for tests: `beforeMarkDone` throws where a crash after COMMIT would strike. */
export const idempotencyFaults: { beforeMarkDone?: () => void } = {};

/**
 * `Idempotency-Key` on POST: the first successful response is kept for 24 hours and replayed
 * for a repeat with the same key and body; the same key with another body is 422. Keys are per
 * user. Multipart uploads are matched on the key and URL alone (their bytes are not compared).
 *
 * Every transaction the request runs records its result on the key's row inside the same
 * transaction (see keyObserver): if the process dies after a COMMIT, a retry returns the
 * committed results instead of running that work again, and answers from them. Answers holding a
 * secret (a new API token, a webhook secret) are never kept: their replay is 409
 * `idempotency_answer_withheld`.
 */
export function installIdempotency(app: FastifyInstance, deps: Deps): void {
  // Callback style on purpose: the handler must run inside observeTransactions' async context.
  app.addHook('preHandler', (request, reply, done) => {
    holdKey(request, reply, deps).then(
      (hold) => {
        if (hold === 'answered') return;
        if (!hold) return done();
        request.idempotency = hold;
        observeTransactions(keyObserver(hold), () => done());
      },
      (err: Error) => done(err),
    );
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const hold = request.idempotency;
    if (!hold) return payload;
    request.idempotency = undefined;
    hold.closed = true;
    idempotencyFaults.beforeMarkDone?.();
    try {
      await settleKey(deps, hold, reply.statusCode, payload, String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'));
    } catch (err) {
      // The database failed (an outage): the answer still goes out. A key left pending is taken
      // over after a minute; one left committed replays its recorded work.
      request.log.warn({ err, idempotencyKey: hold.key }, 'could not record the Idempotency-Key outcome');
    }
    return payload;
  });
}

/** Stores the answer on the key (not when it holds a secret), or releases a key whose request did nothing. */
async function settleKey(deps: Deps, hold: KeyHold, status: number, payload: unknown, type: string): Promise<void> {
  const committed = hold.seen > 0;
  if (status >= 400 || !(typeof payload === 'string' || Buffer.isBuffer(payload) || payload === null)) {
    // Nothing committed (each verb is one transaction, rolled back on error): release the key
    // so the client can retry, e.g. with a corrected body. Work that did commit stays recorded.
    if (!committed) await whereKey(deps.db.kysely.deleteFrom('idempotency_keys'), hold).where('attempt', '=', hold.attempt).execute();
    return;
  }
  const body = payload === null ? '' : payload.toString();
  const withheld = hold.withheld || (type.includes('json') && holdsSecret(parseJson(body)));
  await whereKey(deps.db.kysely.updateTable('idempotency_keys'), hold)
    .set({ state: 'done', status_code: status, response_body: withheld ? null : body, response_type: type, results: null, withheld: withheld ? 1 : 0 })
    .where('attempt', '=', hold.attempt)
    .execute();
}

/** Claims the request's key, answers a replay, or refuses; undefined when there is no key. */
async function holdKey(request: FastifyRequest, reply: FastifyReply, deps: Deps): Promise<KeyHold | 'answered' | undefined> {
  const key = request.headers['idempotency-key'];
  if (request.method !== 'POST' || key === undefined || !request.principal) return undefined;
  if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
    throw invalid('invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 characters', { field: 'Idempotency-Key' });
  }
  const { orgId, userId } = request.principal;
  const id = { orgId, userId, key };
  const hash = createHash('sha256')
    .update(`${request.method} ${request.url}\n${request.isMultipart() ? 'multipart' : stableJson(request.body)}`)
    .digest('hex');
  const db = deps.db.kysely;
  const now = deps.clock.now();
  const attempt = newId();
  const hold = (results: unknown[] = []): KeyHold => ({ ...id, attempt, results, replayCount: results.length, seen: 0, withheld: false, closed: false });

  let existing = await whereKey(db.selectFrom('idempotency_keys').selectAll(), id).executeTakeFirst();
  if (existing && Date.parse(existing.created_at) < now.getTime() - KEY_TTL_MS) {
    await whereKey(db.deleteFrom('idempotency_keys'), id).where('created_at', '=', existing.created_at).execute();
    existing = undefined;
  }
  if (!existing) {
    const res = await db
      .insertInto('idempotency_keys')
      .values({
        ...keyColumns(id),
        request_hash: hash,
        state: 'pending',
        status_code: null,
        response_body: null,
        response_type: null,
        created_at: now.toISOString(),
        attempt,
        results: null,
        withheld: 0,
      })
      .onConflict((oc) => oc.columns(['org_id', 'user_id', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0n) === 0) throw inProgress();
    return hold();
  }
  if (existing.request_hash !== hash) {
    throw new AppError('unprocessable', 'idempotency_key_reused', 'this Idempotency-Key was used with a different request');
  }
  if (existing.withheld && existing.state !== 'pending') throw withheld(existing.status_code);
  if (existing.state === 'done') {
    reply
      .status(existing.status_code ?? 200)
      .header('idempotent-replayed', 'true')
      .type(existing.response_type ?? 'application/json; charset=utf-8')
      .send(existing.response_body ?? '');
    return 'answered';
  }
  // pending: the first attempt is running, or died before committing anything (then it is taken
  // over once it looks dead). committed: its work is done but its answer was never stored (the
  // process died in between): answer now, from the committed results, without running them again.
  if (existing.state === 'pending' && Date.parse(existing.created_at) > now.getTime() - PENDING_TIMEOUT_MS) throw inProgress();
  const taken = await whereKey(db.updateTable('idempotency_keys').set({ attempt, created_at: now.toISOString() }), id)
    .where('state', '=', existing.state)
    .where(existing.attempt === null ? (eb) => eb('attempt', 'is', null) : (eb) => eb('attempt', '=', existing.attempt))
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 0) throw inProgress();
  if (existing.state === 'committed') reply.header('idempotent-replayed', 'true');
  return hold(existing.state === 'committed' ? decodeResults(existing.results) : []);
}

const keyColumns = (id: { orgId: string; userId: string; key: string }) => ({ org_id: id.orgId, user_id: id.userId, key: id.key });

const inProgress = () => conflict('idempotency_request_in_progress', 'a request with this Idempotency-Key is still being processed');

const withheld = (status: number | null) =>
  conflict(
    'idempotency_answer_withheld',
    'this request was already done, but its answer held a secret, which is never kept: list the resource to find it, or make a new one',
    { status },
  );

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** JSON with object keys sorted, so that key order does not make two bodies differ. */
export function stableJson(v: unknown): string {
  if (v === undefined) return '';
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}
