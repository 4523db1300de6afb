import type { Logger } from 'pino';
import { ConfigError } from '../config.ts';
import { forUpdate, type Db, type Executor } from '../db/index.ts';
import { secretHint } from '../webhooks/sign.ts';
import { fingerprintOfSealed, isSealed, type SecretBox } from './box.ts';
import { runTransaction } from '../db/transaction.ts';

type Step = { id: string; type: string; secret?: string; secretHint?: string };

/**
 * At start, before serving: checks that the database's secrets were sealed with a key this
 * process holds, seals any secret still stored in clear (rows from before encryption), and
 * re-seals with the current key what an old key sealed (rotation) — in one transaction, under
 * the lock of the row that records the key in use, so processes starting together take turns.
 * A key the database does not know stops the start, naming CHANTIER_SECRET_KEY.
 */
export async function resealSecrets(db: Db, box: SecretBox, log: Logger): Promise<{ sealed: number; resealed: number }> {
  return runTransaction({ db, log }, async (trx) => {
    const recorded = await lockKeyRecord(trx, db, box);
    if (recorded && !box.fingerprints.includes(recorded)) throw unknownKey(recorded, box);
    let sealed = 0;
    let resealed = 0;
    const rules = await trx.selectFrom('automation_rules').select(['id', 'org_id', 'actions']).where('actions', 'like', '%"webhook"%').execute();
    for (const rule of rules) {
      let changed = false;
      const steps = (JSON.parse(rule.actions) as Step[]).map((step) => {
        if (step.type !== 'webhook' || !step.secret) return step;
        if (!isSealed(step.secret)) {
          changed = true;
          sealed += 1;
          return { ...step, secret: box.seal(step.secret), secretHint: step.secretHint ?? secretHint(step.secret) };
        }
        const fp = fingerprintOfSealed(step.secret);
        if (fp === box.fingerprint) return step;
        if (!box.canOpen(step.secret)) throw unknownKey(fp, box);
        changed = true;
        resealed += 1;
        return { ...step, secret: box.seal(box.open(step.secret)) };
      });
      // Not a change of the rule (no new version, no history): the same secret, sealed anew.
      if (changed)
        await trx
          .updateTable('automation_rules')
          .set({ actions: JSON.stringify(steps) })
          .where('org_id', '=', rule.org_id)
          .where('id', '=', rule.id)
          .execute();
    }
    const now = new Date().toISOString();
    if (!recorded)
      await trx
        .insertInto('secret_key_in_use')
        .values({ id: 1, fingerprint: box.fingerprint, updated_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    else if (recorded !== box.fingerprint)
      await trx.updateTable('secret_key_in_use').set({ fingerprint: box.fingerprint, updated_at: now }).where('id', '=', 1).execute();
    if (sealed || resealed) log.info({ sealed, resealed, key: box.fingerprint }, 'webhook secrets encrypted with the current key');
    return { sealed, resealed };
  });
}

/** The fingerprint recorded as in use, its row locked for this transaction (null: none yet). */
async function lockKeyRecord(trx: Executor, db: Db, box: SecretBox): Promise<string | null> {
  if (db.dialect === 'postgres') {
    // Create the row if missing so that there is a row to lock; an old process's key may be in it.
    await trx
      .insertInto('secret_key_in_use')
      .values({ id: 1, fingerprint: box.fingerprint, updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  const row = await forUpdate(trx.selectFrom('secret_key_in_use').select('fingerprint').where('id', '=', 1), db.dialect).executeTakeFirst();
  return row?.fingerprint ?? null;
}

const unknownKey = (fingerprint: string, box: SecretBox) =>
  new ConfigError(
    `the webhook secrets in this database were encrypted with the key of fingerprint ${fingerprint}, but this process has ${box.fingerprints.join(', ')}: ` +
      'give every process the same CHANTIER_SECRET_KEY (after a rotation, list the previous key in CHANTIER_SECRET_KEYS_OLD)',
  );
