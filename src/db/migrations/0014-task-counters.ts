import { sql, type Kysely } from 'kysely';

/**
 * A counter row per task for what a completion used to compute by scanning: the position the
 * task's next invoice line takes (was `max(position) + 1` over its lines, which grew with every
 * consolidation into a main task on a PostgreSQL whose autovacuum lags). Kept in its own table,
 * not on the task's row: completions under one main task hold a shared lock on the main task's
 * row and take this row's lock only for their tail (src/task-content/line-store.ts). A missing
 * row means "not counted yet": the first taker computes it once from the lines.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('task_counters')
    .addColumn('task_id', 'text', (c) => c.primaryKey().references('tasks.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('next_line_position', 'integer', (c) => c.notNull())
    .execute();
  await sql`
    insert into task_counters (task_id, org_id, next_line_position)
    select task_id, org_id, max(position) + 1 from task_lines group by org_id, task_id`.execute(db);
}
