import type { z } from 'zod';
import type { Deps } from '../deps.ts';
import { forbidden } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { seedDefaultTaskTypes } from '../task-types/service.ts';
import { issueCredential } from './credentials.ts';
import { checkPasswordStrength, hashPassword } from './passwords.ts';
import type { SignupBody } from './schemas.ts';
import { runTransaction } from '../db/transaction.ts';

/** Creates an organization, its first admin and default task types; returns a bearer token. */
export async function signup(deps: Deps, input: z.output<typeof SignupBody>, opts: { force?: boolean } = {}) {
  if (deps.config.signup === 'closed' && !opts.force) throw forbidden('signup_closed', 'sign-up is closed on this server');
  checkPasswordStrength(input.password);
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  const iso = now.toISOString();
  const orgId = newId();
  const userId = newId();
  const org = {
    id: orgId,
    name: input.orgName,
    locale: input.locale,
    time_zone: input.timeZone ?? 'America/Toronto',
    currency: 'CAD',
    gst_number: null,
    qst_number: null,
    address: null,
    created_at: iso,
    updated_at: iso,
  };
  const token = await runTransaction(deps, async (trx) => {
    await trx.insertInto('organizations').values(org).execute();
    await trx
      .insertInto('users')
      .values({
        id: userId,
        org_id: orgId,
        name: input.name,
        email: input.email,
        email_lower: input.email.toLowerCase(),
        password_hash: passwordHash,
        role: 'admin',
        active: 1,
        created_at: iso,
        updated_at: iso,
        version: 1,
      })
      .execute();
    await seedDefaultTaskTypes(trx, orgId, input.locale, iso);
    for (const seed of deps.orgSeeders) await seed(trx, orgId, iso);
    return issueCredential(trx, { orgId, userId, kind: 'token', name: 'signup', now });
  });
  return {
    organization: { id: orgId, name: org.name, locale: org.locale, timeZone: org.time_zone, currency: org.currency },
    user: { id: userId, name: input.name, email: input.email, role: 'admin' as const },
    token: token.secret,
  };
}
