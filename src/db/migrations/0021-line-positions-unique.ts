import { sql, type Kysely } from 'kysely';

/**
 * No two lines of a task share a position, in the database: `task_lines_task_idx` (org_id,
 * task_id, position) becomes unique. Every position has come from the task's counter row since
 * migration 0014, so none should; a line that does is moved after the task's last (its counter
 * raised), the one with the smallest id keeping the place.
 *
 * Why (issue 10): a page of a task's lines could then order by position alone, which the index
 * gives as it is. Ordered by (position, id), PostgreSQL's generic plan for a page after a cursor
 * sorted every line from the cursor on whenever it expected a task to have few lines (no
 * statistics yet, or an average task far smaller than a 100,000-line project): 60 ms a page.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const shared = await db
    .selectFrom('task_lines')
    .select(['org_id', 'task_id', 'position'])
    .groupBy(['org_id', 'task_id', 'position'])
    .having(sql`count(*)`, '>', 1)
    .execute();
  for (const { org_id, task_id, position } of shared) {
    const rows = await db
      .selectFrom('task_lines')
      .select('id')
      .where('org_id', '=', org_id)
      .where('task_id', '=', task_id)
      .where('position', '=', position)
      .orderBy('id')
      .execute();
    for (const { id } of rows.slice(1)) {
      const [counter] = await db
        .updateTable('task_counters')
        .set({ next_line_position: sql`next_line_position + 1` })
        .where('task_id', '=', task_id)
        .returning('next_line_position')
        .execute();
      const next = counter
        ? Number(counter.next_line_position) - 1
        : Number((await db.selectFrom('task_lines').select(sql<number>`max(position) + 1`.as('p')).where('task_id', '=', task_id).executeTakeFirstOrThrow()).p);
      await db.updateTable('task_lines').set({ position: next }).where('id', '=', id).execute();
    }
  }
  await sql`drop index task_lines_task_idx`.execute(db);
  await sql`create unique index task_lines_task_idx on task_lines (org_id, task_id, position)`.execute(db);
}
