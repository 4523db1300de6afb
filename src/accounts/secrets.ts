import { createHash, randomBytes } from 'node:crypto';

/** A bearer secret: shown once, stored only as its SHA-256. */
export function newSecret(kind: 'session' | 'token'): { secret: string; hash: string; prefix: string } {
  const secret = `${kind === 'token' ? 'cht' : 'chs'}_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashSecret(secret), prefix: secret.slice(0, 10) };
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
