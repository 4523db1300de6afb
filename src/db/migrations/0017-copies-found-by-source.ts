import { sql, type Kysely } from 'kysely';

const TABLES = ['task_lines', 'attachments', 'notes'];

/**
 * A copy is found through the row it was copied from, no longer through its consolidation
 * (issue 10: one index entry less per row a consolidation copies).
 * - `*_consolidation_idx` (org_id, consolidation_id), made by 0002 for one reader, the retraction
 *   of a reopened sub-task's copies, goes. On every consolidating completion it was 7 of the 35
 *   index entries its 5 lines and 2 attachments wrote.
 * - `*_source_uq`, the unique index that makes a copy happen at most once, becomes (org_id,
 *   source_id) instead of (source_id): the same guarantee (a copy is always in its source's
 *   organization), and the index the retraction now reads, scoped by organization like every other.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await sql`drop index ${sql.raw(`${table}_consolidation_idx`)}`.execute(db);
    await sql`drop index ${sql.raw(`${table}_source_uq`)}`.execute(db);
    await db.schema.createIndex(`${table}_source_uq`).on(table).columns(['org_id', 'source_id']).unique().execute();
  }
}
