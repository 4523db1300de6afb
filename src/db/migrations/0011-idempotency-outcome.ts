import type { Kysely } from 'kysely';

/**
 * An Idempotency-Key's outcome commits with the work: `attempt` names the request that holds the
 * key (a transaction commits only while its request still does), `results` keeps what each
 * committed transaction returned until the answer is stored, and `withheld` marks an answer
 * that held a secret and so is not kept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('idempotency_keys').addColumn('attempt', 'text').execute();
  await db.schema.alterTable('idempotency_keys').addColumn('results', 'text').execute();
  await db.schema
    .alterTable('idempotency_keys')
    .addColumn('withheld', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
