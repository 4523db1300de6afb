import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { secretBox, type SecretBox } from './box.ts';
import { currentSecretKey } from './key-file.ts';
import { resealSecrets } from './reseal.ts';

export { isSealed, keyFingerprint, secretBox, type SecretBox } from './box.ts';
export { KEY_FILE } from './key-file.ts';

/** The box that seals secrets at rest, once the database's secrets are checked and sealed with its key. */
export async function openSecretBox(config: Pick<Config, 'secretKey' | 'oldSecretKeys' | 'dataDir'>, db: Db, log: Logger): Promise<SecretBox> {
  const { key, source, created } = currentSecretKey(config);
  if (created) log.info({ keyFile: source }, 'made a new key to encrypt secrets at rest; back it up with the database (or set CHANTIER_SECRET_KEY)');
  const box = secretBox(key, config.oldSecretKeys);
  await resealSecrets(db, box, log);
  if (db.dialect === 'postgres' && !config.secretKey) {
    log.warn(
      { keyFile: source },
      'CHANTIER_SECRET_KEY is not set: webhook secrets are encrypted with the key file in the data dir; give every server process on another machine the same key with CHANTIER_SECRET_KEY',
    );
  } else {
    log.debug({ key: box.fingerprint, source }, 'secrets at rest: AES-256-GCM');
  }
  return box;
}
