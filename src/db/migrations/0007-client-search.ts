import { sql, type Kysely } from 'kysely';
import { searchKey } from '../../shared/search-key.ts';

/** Clients are searched by a folded form of their name (accents and case ignored). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('clients')
    .addColumn('search_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  const rows = await db.selectFrom('clients').select(['id', 'name']).execute();
  for (const r of rows) {
    await db
      .updateTable('clients')
      .set({ search_name: searchKey(r.name as string) })
      .where('id', '=', r.id)
      .execute();
  }
  await sql`create index clients_search_idx on clients (org_id, search_name)`.execute(db);
}
