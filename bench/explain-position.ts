// `TEST_DATABASE_URL=… tsx bench/explain-position.ts`: PostgreSQL buffers read by the old
// `max(position)` and by the counter row's update (migration 0014), on a main task holding 10
// lines and then 20,010, with no ANALYZE or VACUUM (autovacuum off). Buffers, unlike times, do
// not depend on the other load on the machine.
import { sql } from 'kysely';
import { testContext } from '../src/testing/harness.ts';
import { line, task, world } from '../src/consolidation/testkit.ts';

const ctx = await testContext('postgres');
try {
  const w = await world(ctx);
  const db = ctx.deps.db.kysely;
  const main = await task(w, { title: 'Projet' });
  for (let i = 0; i < 10; i++) await line(w, main.id, `Ligne ${i}`, '1', 100);
  const explain = async (label: string, q: ReturnType<typeof sql>) => {
    const plan = (await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers, costs off, timing off) ${q}`.execute(db)).rows.map((r) => r['QUERY PLAN']);
    const buffers = plan.find((l) => l.includes('Buffers')) ?? '';
    console.log(`${label.padEnd(46)} ${buffers.trim().padEnd(40)} ${plan[0].trim()}`);
  };
  const measure = async (n: string) => {
    await explain(`max(position), ${n} lines`, sql`select max(position) from task_lines where org_id = ${w.org.orgId} and task_id = ${main.id}`);
    await db
      .transaction()
      .execute(async (trx) => {
        const plan = (
          await sql<{
            'QUERY PLAN': string;
          }>`explain (analyze, buffers, costs off, timing off) update task_counters set next_line_position = next_line_position + 1 where org_id = ${w.org.orgId} and task_id = ${main.id} returning next_line_position`.execute(
            trx,
          )
        ).rows.map((r) => r['QUERY PLAN']);
        console.log(`${`counter update, ${n} lines`.padEnd(46)} ${(plan.find((l) => l.includes('Buffers')) ?? '').trim().padEnd(40)} ${plan[0].trim()}`);
        throw new Error('rollback');
      })
      .catch(() => {});
  };
  await measure('10');
  // 20,000 more lines, as consolidations leave them (inserted, never updated), no ANALYZE.
  await sql`insert into task_lines (id, org_id, task_id, position, description, quantity_milli, unit, unit_price_cents, amount_cents, tax_treatment, product_code, created_by, created_at, updated_at, version)
    select gen_random_uuid()::text, org_id, task_id, position + g * 10, description, quantity_milli, unit, unit_price_cents, amount_cents, tax_treatment, product_code, created_by, created_at, updated_at, version
    from task_lines, generate_series(1, 2000) g where org_id = ${w.org.orgId} and task_id = ${main.id}`.execute(db);
  await sql`update task_counters set next_line_position = 20011 where task_id = ${main.id}`.execute(db);
  await measure('20,010');
} finally {
  await ctx.close();
}
