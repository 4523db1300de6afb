import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Request counters of the rate limits (used on PostgreSQL, shared by every process; SQLite,
 * served by one process, counts in memory and leaves the table empty), and the
 * fingerprint of the key that encrypts the webhook secrets at rest (never the key itself).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Counters need no durability: UNLOGGED skips the write-ahead log (no fsync per request),
  // and a crash only forgets who was counted in the current minute.
  const unlogged = db.getExecutor().adapter instanceof PostgresAdapter ? sql.raw('unlogged ') : sql.raw('');
  await sql`create ${unlogged}table rate_limits (key text primary key, count integer not null, reset_at text not null)`.execute(db);
  await db.schema
    .createTable('secret_key_in_use')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
