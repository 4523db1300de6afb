import { sql, type Kysely } from 'kysely';

/** A task's attachments listed grouped by the task they were first entered on, own files first. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index attachments_source_idx on attachments (org_id, task_id, (coalesce(origin_task_id, '')), id)`.execute(db);
}
