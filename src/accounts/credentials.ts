import type { Executor } from '../db/index.ts';
import type { SessionsTable } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Principal } from './principal.ts';
import { newSecret } from './secrets.ts';
import { runTransaction } from '../db/transaction.ts';

export interface IssuedCredential {
  row: SessionsTable;
  secret: string;
}

/** Creates a session or an API token; the secret is returned once and stored hashed. */
export async function issueCredential(
  db: Executor,
  input: { orgId: string; userId: string; kind: 'session' | 'token'; name?: string; now: Date; ttlMs?: number },
): Promise<IssuedCredential> {
  const { secret, hash, prefix } = newSecret(input.kind);
  const row: SessionsTable = {
    id: newId(),
    org_id: input.orgId,
    user_id: input.userId,
    kind: input.kind,
    name: input.name ?? null,
    token_hash: hash,
    prefix,
    created_at: input.now.toISOString(),
    expires_at: input.ttlMs ? new Date(input.now.getTime() + input.ttlMs).toISOString() : null,
    revoked_at: null,
    last_used_at: null,
  };
  await db.insertInto('sessions').values(row).execute();
  return { row, secret };
}

export const toTokenDto = (r: SessionsTable) => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export async function createToken(deps: Deps, p: Principal, input: { name: string; expiresInDays?: number }) {
  // A transaction, even for one insert: an Idempotency-Key's outcome commits with it.
  const issued = await runTransaction(deps, (trx) =>
    issueCredential(trx, {
      orgId: p.orgId,
      userId: p.userId,
      kind: 'token',
      name: input.name,
      now: deps.clock.now(),
      ttlMs: input.expiresInDays ? input.expiresInDays * 86_400_000 : undefined,
    }),
  );
  return { ...toTokenDto(issued.row), token: issued.secret };
}

/** The caller's own API tokens (admins see only their own too: tokens are personal). */
export async function listTokens(deps: Deps, p: Principal) {
  const rows = await deps.db.kysely
    .selectFrom('sessions')
    .selectAll()
    .where('org_id', '=', p.orgId)
    .where('user_id', '=', p.userId)
    .where('kind', '=', 'token')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toTokenDto);
}

export async function revokeToken(deps: Deps, p: Principal, id: string): Promise<void> {
  const res = await deps.db.kysely
    .updateTable('sessions')
    .set({ revoked_at: deps.clock.now().toISOString() })
    .where('org_id', '=', p.orgId)
    .where('user_id', '=', p.userId)
    .where('kind', '=', 'token')
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw notFound('token', id);
}

/** Ends the session or revokes the token the request came with. */
export async function revokeCurrent(deps: Deps, p: Principal): Promise<void> {
  await deps.db.kysely
    .updateTable('sessions')
    .set({ revoked_at: deps.clock.now().toISOString() })
    .where('org_id', '=', p.orgId)
    .where('id', '=', p.credentialId)
    .execute();
}

/** Revokes every session and token of a user (deactivation, password change). */
export async function revokeAllOfUser(db: Executor, orgId: string, userId: string, now: string, exceptId?: string) {
  let q = db.updateTable('sessions').set({ revoked_at: now }).where('org_id', '=', orgId).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptId) q = q.where('id', '!=', exceptId);
  await q.execute();
}
