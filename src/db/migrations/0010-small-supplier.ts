import type { Kysely } from 'kysely';

/**
 * An organization may declare itself a small supplier (not registered for GST/HST or QST):
 * its invoices charge no tax and say so. 0 / 1, like the other flags.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organizations')
    .addColumn('small_supplier', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
