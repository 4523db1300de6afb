import type { Kysely } from 'kysely';

/**
 * The organization's contact details (printed on its invoices) and the name its emails are sent
 * under (the From header's display name; null: the organization's name). All nullable.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organizations').addColumn('phone', 'text').execute();
  await db.schema.alterTable('organizations').addColumn('email', 'text').execute();
  await db.schema.alterTable('organizations').addColumn('email_sender_name', 'text').execute();
}
