import { staticQuery } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import type { Principal } from './principal.ts';
import { hashSecret } from './secrets.ts';

const TOUCH_EVERY_MS = 60_000;

// Run by every authenticated request: built once (see staticQuery).
const credentialByHash = staticQuery((db, tokenHash: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', (j) => j.onRef('u.id', '=', 's.user_id').onRef('u.org_id', '=', 's.org_id'))
    .select(['s.id', 's.org_id', 's.user_id', 's.kind', 's.expires_at', 's.revoked_at', 's.last_used_at', 'u.role', 'u.active'])
    .where('s.token_hash', '=', tokenHash),
);

/** Resolves a bearer token or session secret to its principal, or undefined. */
export async function authenticate(deps: Deps, secret: string): Promise<Principal | undefined> {
  const [row] = (await credentialByHash(deps.db.kysely, hashSecret(secret))).rows;
  if (!row || row.revoked_at || !row.active) return undefined;
  const now = deps.clock.now();
  if (row.expires_at && row.expires_at <= now.toISOString()) return undefined;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    await deps.db.kysely.updateTable('sessions').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).where('org_id', '=', row.org_id).execute();
  }
  return { orgId: row.org_id, userId: row.user_id, role: row.role, credentialId: row.id, credentialKind: row.kind };
}
