import type { z } from 'zod';
import { forUpdate, type Executor } from '../db/index.ts';
import type { UsersTable } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { conflict, forbidden, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { revokeAllOfUser } from './credentials.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import { requireRole, type Principal } from './principal.ts';
import type { CreateUserBody, UpdateUserBody } from './schemas.ts';
import { runTransaction } from '../db/transaction.ts';
import { checkVersion, updateVersioned } from '../db/versioned.ts';

export const toUserDto = (u: UsersTable) => ({
  id: u.id,
  name: u.name,
  email: u.email,
  role: u.role,
  active: Boolean(u.active),
  createdAt: u.created_at,
  updatedAt: u.updated_at,
  version: u.version,
});

const findUser = (db: Executor, orgId: string, id: string) =>
  db.selectFrom('users').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();

export async function listUsers(deps: Deps, p: Principal) {
  requireRole(p, 'admin', 'dispatcher');
  const rows = await deps.db.kysely.selectFrom('users').selectAll().where('org_id', '=', p.orgId).orderBy('name').orderBy('id').execute();
  return rows.map(toUserDto);
}

export async function getUser(deps: Deps, p: Principal, id: string) {
  if (id !== p.userId) requireRole(p, 'admin', 'dispatcher');
  const u = await findUser(deps.db.kysely, p.orgId, id);
  if (!u) throw notFound('user', id);
  return toUserDto(u);
}

export async function createUser(deps: Deps, p: Principal, input: z.output<typeof CreateUserBody>) {
  requireRole(p, 'admin');
  return addUser(deps, p.orgId, input);
}

/** Adds a user to an organization (also used by the command line). */
export async function addUser(deps: Deps, orgId: string, input: z.output<typeof CreateUserBody>) {
  checkPasswordStrength(input.password);
  const now = deps.clock.now().toISOString();
  const row: UsersTable = {
    id: newId(),
    org_id: orgId,
    name: input.name,
    email: input.email,
    email_lower: input.email.toLowerCase(),
    password_hash: await hashPassword(input.password),
    role: input.role,
    active: 1,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await runTransaction(deps, async (trx) => {
    await assertEmailFree(trx, orgId, row.email_lower);
    await trx.insertInto('users').values(row).execute();
  });
  return toUserDto(row);
}

async function assertEmailFree(trx: Executor, orgId: string, emailLower: string, exceptId?: string) {
  let q = trx.selectFrom('users').select('id').where('org_id', '=', orgId).where('email_lower', '=', emailLower);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw conflict('email_taken', 'another user of this organization has this email', { field: 'email' });
}

export async function updateUser(deps: Deps, p: Principal, id: string, input: z.output<typeof UpdateUserBody>) {
  const self = id === p.userId;
  if (!self || input.role !== undefined || input.active !== undefined) requireRole(p, 'admin');
  if (self && (input.email !== undefined || input.password !== undefined)) await checkCurrentPassword(deps, p, input.currentPassword);
  if (input.password !== undefined) checkPasswordStrength(input.password);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
  return runTransaction(deps, async (trx) => {
    // Demotions and deactivations take turns on the organization's row: two admins stepping
    // down at once would otherwise each see the other and leave the organization with none.
    if ((input.role !== undefined && input.role !== 'admin') || input.active === false) {
      await forUpdate(trx.selectFrom('organizations').select('id').where('id', '=', p.orgId), deps.db.dialect).execute();
    }
    const u = await findUser(trx, p.orgId, id);
    if (!u) throw notFound('user', id);
    checkVersion('users', u.version, input.version);
    if (input.email) await assertEmailFree(trx, p.orgId, input.email.toLowerCase(), id);
    const losesAdmin = u.role === 'admin' && ((input.role && input.role !== 'admin') || input.active === false);
    if (losesAdmin) await assertAnotherAdmin(trx, p.orgId, id);
    const now = deps.clock.now().toISOString();
    const next: UsersTable = {
      ...u,
      name: input.name ?? u.name,
      email: input.email ?? u.email,
      email_lower: (input.email ?? u.email).toLowerCase(),
      role: input.role ?? u.role,
      active: input.active === undefined ? u.active : input.active ? 1 : 0,
      password_hash: passwordHash ?? u.password_hash,
      updated_at: now,
      version: u.version + 1,
    };
    await updateVersioned(trx, 'users', { orgId: p.orgId, id, version: u.version }, next);
    if (input.active === false || passwordHash) await revokeAllOfUser(trx, p.orgId, id, now, self ? p.credentialId : undefined);
    return toUserDto(next);
  });
}

async function assertAnotherAdmin(trx: Executor, orgId: string, exceptId: string) {
  const other = await trx
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .where('id', '!=', exceptId)
    .executeTakeFirst();
  if (!other) throw conflict('last_admin', 'an organization keeps at least one active admin');
}

/**
 * Changing one's own email or password asks for the current password: a stolen token or
 * session alone must not become a permanent takeover (a new password revokes every other
 * credential, the thief's included). An admin editing another user is not asked.
 */
async function checkCurrentPassword(deps: Deps, p: Principal, currentPassword: string | undefined): Promise<void> {
  if (currentPassword === undefined) {
    throw invalid('current_password_required', 'give your current password (currentPassword) to change your email or password', { field: 'currentPassword' });
  }
  const me = await findUser(deps.db.kysely, p.orgId, p.userId);
  if (!me || !(await verifyPassword(me.password_hash, currentPassword))) {
    throw forbidden('current_password_wrong', 'the current password is wrong', { field: 'currentPassword' });
  }
}
