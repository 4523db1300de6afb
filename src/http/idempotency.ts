import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError, conflict, invalid } from '../shared/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { orgId: string; userId: string; key: string };
  }
}

/** A pending key older than this is taken to belong to a request that died. */
const PENDING_TIMEOUT_MS = 60_000;
export const KEY_TTL_MS = 24 * 3_600_000;

/**
 * `Idempotency-Key` on POST: the first successful response is kept for 24 hours and replayed
 * for a repeat with the same key and body; the same key with another body is 422. An error
 * answer releases the key. Keys are per user.
 * Multipart uploads are matched on the key and URL alone (their bytes are not compared).
 */
export function installIdempotency(app: FastifyInstance, deps: Deps): void {
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || !request.principal) return;
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      throw invalid('invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 characters', { field: 'Idempotency-Key' });
    }
    const { orgId, userId } = request.principal;
    const isMultipart = request.isMultipart();
    const hash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${isMultipart ? 'multipart' : stableJson(request.body)}`)
      .digest('hex');
    const db = deps.db.kysely;
    const now = deps.clock.now();
    const where = db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .where('key', '=', key);
    let existing = await where.executeTakeFirst();
    if (existing && Date.parse(existing.created_at) < now.getTime() - KEY_TTL_MS) {
      await db.deleteFrom('idempotency_keys').where('org_id', '=', orgId).where('user_id', '=', userId).where('key', '=', key).execute();
      existing = undefined;
    }
    if (existing) {
      if (existing.request_hash !== hash) {
        throw new AppError('unprocessable', 'idempotency_key_reused', 'this Idempotency-Key was used with a different request');
      }
      if (existing.state === 'done') {
        return reply
          .status(existing.status_code ?? 200)
          .header('idempotent-replayed', 'true')
          .type(existing.response_type ?? 'application/json; charset=utf-8')
          .send(existing.response_body ?? '');
      }
      if (Date.parse(existing.created_at) > now.getTime() - PENDING_TIMEOUT_MS) {
        throw conflict('idempotency_request_in_progress', 'a request with this Idempotency-Key is still being processed');
      }
      await db
        .updateTable('idempotency_keys')
        .set({ created_at: now.toISOString() })
        .where('org_id', '=', orgId)
        .where('user_id', '=', userId)
        .where('key', '=', key)
        .execute();
    } else {
      const res = await db
        .insertInto('idempotency_keys')
        .values({ org_id: orgId, user_id: userId, key, request_hash: hash, state: 'pending', status_code: null, response_body: null, response_type: null, created_at: now.toISOString() })
        .onConflict((oc) => oc.columns(['org_id', 'user_id', 'key']).doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0n) === 0) {
        throw conflict('idempotency_request_in_progress', 'a request with this Idempotency-Key is still being processed');
      }
    }
    request.idempotency = { orgId, userId, key };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const idem = request.idempotency;
    if (!idem) return payload;
    request.idempotency = undefined;
    const scope = deps.db.kysely
      .updateTable('idempotency_keys')
      .where('org_id', '=', idem.orgId)
      .where('user_id', '=', idem.userId)
      .where('key', '=', idem.key);
    if (reply.statusCode >= 400 || (typeof payload !== 'string' && !Buffer.isBuffer(payload) && payload !== null)) {
      // An error answer means nothing was done (each verb is one transaction, rolled back on
      // error): let the client retry with the same key, e.g. with a corrected body.
      await deps.db.kysely
        .deleteFrom('idempotency_keys')
        .where('org_id', '=', idem.orgId)
        .where('user_id', '=', idem.userId)
        .where('key', '=', idem.key)
        .execute();
      return payload;
    }
    await scope
      .set({
        state: 'done',
        status_code: reply.statusCode,
        response_body: payload === null ? '' : payload.toString(),
        response_type: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
      })
      .execute();
    return payload;
  });
}

/** JSON with object keys sorted, so that key order does not make two bodies differ. */
export function stableJson(v: unknown): string {
  if (v === undefined) return '';
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}
