import type { Deps } from '../deps.ts';
import { AppError, unauthorized } from '../shared/errors.ts';
import { issueCredential } from './credentials.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { clearLoginFailures, giveBackLoginAttempt, takeLoginAttempt } from './rate-limit.ts';

/**
 * Checks email and password and opens a session. Failures are counted per account and per
 * address; past the limit every attempt is refused until the window ends.
 */
export async function login(deps: Deps, input: { email: string; password: string; orgId?: string }, ip: string) {
  const email = input.email.toLowerCase();
  const accountKey = `email:${email}`;
  const addressKey = `ip:${ip}`;
  const keys = [accountKey, addressKey];
  await takeLoginAttempt(deps, keys);

  let q = deps.db.kysely.selectFrom('users').selectAll().where('email_lower', '=', email).where('active', '=', 1);
  if (input.orgId) q = q.where('org_id', '=', input.orgId);
  const candidates = await q.limit(20).execute();
  const matches = [];
  for (const u of candidates) if (await verifyPassword(u.password_hash, input.password)) matches.push(u);
  if (candidates.length === 0) await verifyPassword(await dummyPasswordHash(), input.password);

  // The attempt is already counted as a failure; anything else gives it back.
  if (matches.length === 0) throw unauthorized('invalid_login', 'the email or password is wrong');
  if (matches.length > 1) {
    await giveBackLoginAttempt(deps, keys);
    throw new AppError('invalid', 'organization_required', 'this account exists in several organizations; name one with orgId', {
      organizations: matches.map((m) => m.org_id),
    });
  }
  const user = matches[0];
  await clearLoginFailures(deps, accountKey);
  await giveBackLoginAttempt(deps, [addressKey]);
  const now = deps.clock.now();
  const issued = await issueCredential(deps.db.kysely, {
    orgId: user.org_id,
    userId: user.id,
    kind: 'session',
    now,
    ttlMs: deps.config.sessionTtlHours * 3_600_000,
  });
  return {
    secret: issued.secret,
    expiresAt: issued.row.expires_at!,
    user: { id: user.id, name: user.name, email: user.email, role: user.role, orgId: user.org_id },
  };
}
