import type { Kysely } from 'kysely';

/**
 * An invoice's frozen lines and attachments are read a page at a time in position order, and,
 * as every query, with their organization. Their primary key is (invoice, position). Without
 * statistics (PostgreSQL with autovacuum off, or a table not analyzed since it grew),
 * PostgreSQL took the organization condition for a rare filter, expected a row or so, and read
 * every row of the invoice after the cursor, then sorted them: each page of a 100,000-line
 * invoice's PDF read half the invoice. In an index that starts with the organization, the page
 * reads its rows in order and stops.
 *
 * The group index of 0015 served the PDF's group subtotals, which the renderer now adds up as it
 * prints the lines; it is dropped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['invoice_lines', 'invoice_attachments']) {
    await db.schema.createIndex(`${table}_org_position_idx`).unique().on(table).columns(['org_id', 'invoice_id', 'position']).execute();
  }
  await db.schema.dropIndex('invoice_lines_group_idx').execute();
}
