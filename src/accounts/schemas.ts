import { z } from 'zod';
import { Id, Locale, Timestamp } from '../http/schemas.ts';
import { MAX_PASSWORD_LENGTH } from './passwords.ts';

export const Email = z.email().max(254);
export const Password = z.string().max(MAX_PASSWORD_LENGTH);
export const RoleSchema = z.enum(['admin', 'dispatcher', 'technician']);

export const SignupBody = z.strictObject({
  orgName: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  email: Email,
  password: Password,
  locale: Locale.default('fr-CA'),
  timeZone: z.string().max(64).optional(),
});

export const LoginBody = z.strictObject({
  email: Email,
  password: Password,
  orgId: Id.optional().describe('Needed only when the same email and password open accounts in several organizations'),
});

export const UserSchema = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  role: RoleSchema,
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
});

export const OrganizationSchema = z.object({
  id: Id,
  name: z.string(),
  locale: z.string(),
  timeZone: z.string(),
  currency: z.string(),
});

export const TokenSchema = z.object({
  id: Id,
  name: z.string().nullable(),
  prefix: z.string().describe('The first characters of the token, to recognise it'),
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});

export const CreatedTokenSchema = TokenSchema.extend({
  token: z.string().describe('The secret; shown only once'),
});

export const CreateTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional().describe('Omit for a token that lasts until revoked'),
});

export const CreateUserBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: Email,
  password: Password,
  role: RoleSchema,
});

export const UpdateUserBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  email: Email.optional(),
  password: Password.optional(),
  currentPassword: Password.optional().describe('Your current password: required to change your own email or password'),
  role: RoleSchema.optional(),
  active: z.boolean().optional(),
  version: z.number().int().optional(),
});
