import type { Db, Executor } from '../../db/index.ts';
import type { ScheduleOccurrenceTargetsTable } from '../../db/schema.ts';
import type { TargetTask } from './target.ts';

type Outcome = NonNullable<ScheduleOccurrenceTargetsTable['outcome']>;

/** Records the tasks an occurrence chose when it started, in order, none done yet. */
export async function recordTargets(db: Db, occurrence: { id: string; orgId: string }, targets: TargetTask[]): Promise<void> {
  for (let i = 0; i < targets.length; i += 100) {
    const values = targets.slice(i, i + 100).map((t, j) => ({
      occurrence_id: occurrence.id,
      org_id: occurrence.orgId,
      task_id: t.id,
      position: i + j,
      display_number: t.displayNumber,
      title: t.title,
      outcome: null,
    }));
    await db.kysely
      .insertInto('schedule_occurrence_targets')
      .values(values)
      .onConflict((oc) => oc.columns(['occurrence_id', 'task_id']).doNothing())
      .execute();
  }
}

/** The occurrence's recorded targets: how many there are, and those not done yet (none, or failed), in order. */
export async function unfinishedTargets(db: Db, occurrenceId: string): Promise<{ recorded: number; left: TargetTask[] }> {
  const rows = await db.kysely
    .selectFrom('schedule_occurrence_targets')
    .select(['task_id', 'display_number', 'title', 'outcome'])
    .where('occurrence_id', '=', occurrenceId)
    .orderBy('position')
    .execute();
  const left = rows
    .filter((r) => r.outcome === null || r.outcome === 'failed')
    .map((r) => ({ id: r.task_id, displayNumber: r.display_number, title: r.title }));
  return { recorded: rows.length, left };
}

/** Records a target's outcome. For succeeded/skipped: MUST run inside that task's transaction. */
export async function markTarget(db: Executor, occurrenceId: string, taskId: string, outcome: Outcome): Promise<void> {
  await db.updateTable('schedule_occurrence_targets').set({ outcome }).where('occurrence_id', '=', occurrenceId).where('task_id', '=', taskId).execute();
}
