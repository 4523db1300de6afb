import { sql, type Kysely } from 'kysely';

/**
 * A counter row for every task (0014 made them only for tasks that had lines; the others got one
 * at their first line, computed then from `max(position)`). From now on a task is created with
 * its row (task-content/line-store.ts insertLineCounters), so a line never reads the task's
 * lines to find its position.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    insert into task_counters (task_id, org_id, next_line_position)
    select t.id, t.org_id, coalesce((select max(l.position) from task_lines l where l.org_id = t.org_id and l.task_id = t.id), 0) + 1
    from tasks t
    where not exists (select 1 from task_counters c where c.task_id = t.id)`.execute(db);
}
