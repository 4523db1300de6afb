import { sql, type Kysely } from 'kysely';

/**
 * A task's attachments listed grouped by the task they were first entered on, own files first;
 * and a task's own lines found without walking its consolidated ones (PostgreSQL's planner
 * otherwise scanned 100,000 consolidated lines to find a main task's few own lines).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index attachments_source_idx on attachments (org_id, task_id, (coalesce(origin_task_id, '')), id)`.execute(db);
  await sql`create index task_lines_own_idx on task_lines (org_id, task_id, position) where origin_task_id is null`.execute(db);
}
