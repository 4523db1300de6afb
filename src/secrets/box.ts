import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

/**
 * Seals secrets kept in the database (webhook signing keys) with AES-256-GCM. A sealed value is
 * `enc:v1:<key fingerprint>:<base64url of iv ‖ tag ‖ ciphertext>`: the fingerprint names the key
 * that opens it, so old keys keep opening what they sealed until start-up re-seals it.
 */
export interface SecretBox {
  /** Fingerprint of the current key (never the key): what the database records as in use. */
  readonly fingerprint: string;
  seal(plain: string): string;
  /** The clear secret; throws when no key of this box sealed it. */
  open(sealed: string): string;
  /** Was it sealed by a key this box holds (current or old)? */
  canOpen(sealed: string): boolean;
  /** Fingerprints of every key this box holds, the current one first. */
  readonly fingerprints: string[];
}

/** Is this stored value sealed (rather than a clear secret from before encryption)? */
export const isSealed = (value: string) => value.startsWith(PREFIX);

/** The fingerprint inside a sealed value. */
export const fingerprintOfSealed = (sealed: string) => sealed.slice(PREFIX.length).split(':')[0];

export const keyFingerprint = (key: Buffer) => createHash('sha256').update('chantier-secret-key:').update(key).digest('hex').slice(0, 16);

/** A box sealing with `current` and opening with it or any of `old`. */
export function secretBox(current: Buffer, old: Buffer[] = []): SecretBox {
  const keys = new Map<string, Buffer>();
  for (const k of [current, ...old]) keys.set(keyFingerprint(k), k);
  const fingerprint = keyFingerprint(current);
  return {
    fingerprint,
    fingerprints: [...keys.keys()],
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}${fingerprint}:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`;
    },
    open(sealed) {
      if (!isSealed(sealed)) throw new Error('not a sealed secret');
      const [fp, data] = sealed.slice(PREFIX.length).split(':');
      const key = keys.get(fp);
      if (!key) throw new Error(`this secret was sealed with key ${fp}, which is neither CHANTIER_SECRET_KEY nor in CHANTIER_SECRET_KEYS_OLD`);
      const raw = Buffer.from(data, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    canOpen(sealed) {
      return isSealed(sealed) && keys.has(fingerprintOfSealed(sealed));
    },
  };
}
