import type { Kysely } from 'kysely';

/**
 * The PDF sums each sub-task group of an invoice once per page of lines it reads; without this
 * index each sum scanned every line of the invoice (its key is invoice and position), so a
 * 100,000-line invoice read its lines about 400 times over.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('invoice_lines_group_idx').on('invoice_lines').columns(['invoice_id', 'group_task_id']).execute();
}
