import { forbidden } from '../shared/errors.ts';

export type Role = 'admin' | 'dispatcher' | 'technician';
export const ROLES: readonly Role[] = ['admin', 'dispatcher', 'technician'];

/** Who is calling: resolved from a session cookie or a bearer token. */
export interface Principal {
  orgId: string;
  userId: string;
  role: Role;
  credentialId: string;
  credentialKind: 'session' | 'token';
}

/** Guard: the caller must hold one of these roles. */
export function requireRole(p: Principal, ...roles: Role[]): void {
  if (!roles.includes(p.role)) {
    throw forbidden('role_not_allowed', `this action needs the role ${roles.join(' or ')}`, {
      role: p.role,
      allowed: roles,
    });
  }
}

export const canSeeAllTasks = (p: Principal) => p.role !== 'technician';
