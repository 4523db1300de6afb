import { hash, verify } from '@node-rs/argon2';
import { invalid } from '../shared/errors.ts';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalid('password_too_short', `the password must have at least ${MIN_PASSWORD_LENGTH} characters`, {
      field: 'password',
      minLength: MIN_PASSWORD_LENGTH,
    });
  }
}

/** argon2id with the library's defaults (19 MiB, t=2). */
export const hashPassword = (password: string) => hash(password);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the account does not exist keeps login timing uniform.
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = () => (dummyHash ??= hash('not-a-real-password-0000'));
