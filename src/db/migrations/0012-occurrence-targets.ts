import type { Kysely } from 'kysely';

/**
 * The tasks a scheduled occurrence chose when it started, and each one's outcome — written in
 * that task's own transaction. An occurrence interrupted mid-way (`running`) is resumed with
 * exactly the tasks it had not done.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('schedule_occurrence_targets')
    .addColumn('occurrence_id', 'text', (c) => c.notNull().references('schedule_occurrences.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('display_number', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text') // null: not done yet; succeeded | skipped | failed
    .addPrimaryKeyConstraint('schedule_occurrence_targets_pk', ['occurrence_id', 'task_id'])
    .execute();
}
