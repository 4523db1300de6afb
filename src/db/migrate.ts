import { Migrator, sql } from 'kysely';
import { migrations } from './migrations/index.ts';
import type { Db } from './open.ts';

/**
 * Brings the schema up to date (or up to `upTo`, for migration tests). Safe to run from several
 * processes at once (Kysely locks).
 */
export async function migrateToLatest(db: Db, upTo?: string): Promise<string[]> {
  // Name the schema: otherwise Kysely may see another schema's migration tables as ours.
  // Without one given, it is the connection's own (DATABASE_URL may set a search_path).
  const schema = db.dialect === 'postgres' ? (db.schema ?? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0].s) : undefined;
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // Kysely reads the tables of every schema to find its own; another schema dropped during that
    // read (3F000, not ours) is a catalog that moved under it, not a failed migration: read again.
    if (attempt < 5 && isOtherSchemaGone(error, schema)) continue;
    throw new Error('migration failed', { cause: error });
  }
}

function isOtherSchemaGone(error: unknown, ours: string | undefined): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === '3F000' && typeof e.message === 'string' && !(ours && e.message.includes(`"${ours}"`));
}
