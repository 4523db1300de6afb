import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { secretKeyOf } from '../config.ts';

export const KEY_FILE = 'secret.key';

/**
 * The current key: CHANTIER_SECRET_KEY, or else `<data dir>/secret.key`, made on first start
 * (32 random bytes in base64, readable by its owner only) so that `npm start` runs with no
 * setting. Processes sharing the data dir share the key; processes on other machines must be
 * given the same CHANTIER_SECRET_KEY (start-up refuses a key the database does not know).
 */
export function currentSecretKey(config: Pick<Config, 'secretKey' | 'dataDir'>): { key: Buffer; source: string; created: boolean } {
  if (config.secretKey) return { key: config.secretKey, source: 'CHANTIER_SECRET_KEY', created: false };
  const path = join(config.dataDir, KEY_FILE);
  const read = () => secretKeyOf(path, readFileSync(path, 'utf8'));
  if (existsSync(path)) return { key: read(), source: path, created: false };
  mkdirSync(config.dataDir, { recursive: true });
  // Written aside then linked into place: of two processes starting at once, one links its
  // file and the other (EEXIST) reads it — never a half-written file.
  const draft = `${path}.${process.pid}.tmp`;
  let created = true;
  writeFileSync(draft, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  try {
    linkSync(draft, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    created = false;
  } finally {
    unlinkSync(draft);
  }
  return { key: read(), source: path, created };
}
