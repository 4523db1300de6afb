import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/index.ts';

/**
 * PostgreSQL: the generic plan of `query` ($1, $2… placeholders) for `params`, as EXPLAIN prints
 * it: the plan a prepared statement settles on after its first executions, whatever values it
 * gets. `setUp` runs first, in the same transaction (ANALYZE, SET LOCAL …).
 */
export async function genericPlan(db: Kysely<Database>, query: string, params: readonly unknown[], setUp: RawBuilder<unknown>[] = []): Promise<string> {
  const literal = (v: unknown) => (v === null ? 'null' : typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);
  return db.transaction().execute(async (trx) => {
    for (const statement of setUp) await statement.execute(trx);
    await sql`set local plan_cache_mode = force_generic_plan`.execute(trx);
    await sql.raw(`prepare planned as ${query}`).execute(trx);
    const { rows } = await sql.raw<{ 'QUERY PLAN': string }>(`explain execute planned(${params.map(literal).join(', ')})`).execute(trx);
    await sql`deallocate planned`.execute(trx);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}
