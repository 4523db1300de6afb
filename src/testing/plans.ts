import { sql, type Kysely, type KyselyPlugin, type RawBuilder } from 'kysely';
import type { Database } from '../db/index.ts';
import type { StoreName, TestContext } from './harness.ts';

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

/** A statement the app sent, as compiled for its store. */
export interface Seen {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * From now on every statement the app sends through `ctx` (its second pool's too, on PostgreSQL)
 * is compiled once more and recorded in the array returned. Clear it (`length = 0`) to start over.
 */
export function recordStatements(ctx: TestContext): Seen[] {
  const seen: Seen[] = [];
  const base = ctx.deps.db.kysely;
  const recorder: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      const q = base.getExecutor().compileQuery(node, queryId);
      seen.push({ sql: q.sql, parameters: q.parameters });
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  ctx.deps.db.kysely = base.withPlugin(recorder);
  if (ctx.deps.db.autonomous) ctx.deps.db.autonomous = ctx.deps.db.autonomous.withPlugin(recorder);
  return seen;
}

/**
 * The plan the store would run `s` with, whatever values it gets: on PostgreSQL its generic plan
 * (the one a prepared statement settles on), on fresh statistics of `tables`, with sequential
 * scans priced out so that an index the query cannot use shows as another one.
 */
export async function planOf(ctx: TestContext, store: StoreName, s: Seen, tables: string[]): Promise<string> {
  if (store === 'sqlite') {
    const { rows } = await sql.raw<{ detail: string }>(`explain query plan ${s.sql.replaceAll('?', () => 'NULL')}`).execute(ctx.deps.db.kysely);
    return rows.map((r) => r.detail).join('\n');
  }
  return genericPlan(ctx.deps.db.kysely, s.sql, s.parameters, [sql.raw(`analyze ${tables.join(', ')}`), sql`set local enable_seqscan = off`]);
}
