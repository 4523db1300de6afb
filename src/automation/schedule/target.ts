import type { z } from 'zod';
import type { Executor } from '../../db/index.ts';
import type { Workflow } from '../../task-types/workflow.ts';
import type { ScheduleTargetSchema } from '../schemas.ts';

export type ScheduleTarget = z.output<typeof ScheduleTargetSchema>;
export interface TargetTask {
  id: string;
  displayNumber: string;
  title: string;
}

/**
 * The tasks a scheduled occurrence acts on: of the target's types and statuses, created no later
 * than the occurrence (a task created since — e.g. next month's invoice — belongs to the next
 * one), with or without lines. `onlyId` re-checks one task inside its own transaction.
 */
export async function selectTargets(db: Executor, orgId: string, target: ScheduleTarget, occurrenceAt: string, onlyId?: string): Promise<TargetTask[]> {
  const types = await db
    .selectFrom('task_types')
    .select(['id', 'prefix', 'workflow'])
    .where('org_id', '=', orgId)
    .where('id', 'in', target.taskTypeIds)
    .execute();
  const wanted = types
    .map((t) => ({ ...t, statuses: statusesOf(JSON.parse(t.workflow) as Workflow, target) }))
    .filter((t) => t.statuses === null || t.statuses.length > 0);
  if (wanted.length === 0) return [];
  let q = db
    .selectFrom('tasks')
    .select(['tasks.id', 'tasks.number', 'tasks.title', 'tasks.type_id'])
    .where('tasks.org_id', '=', orgId)
    .where('tasks.created_at', '<=', occurrenceAt)
    .where((eb) =>
      eb.or(wanted.map((t) => (t.statuses ? eb.and([eb('tasks.type_id', '=', t.id), eb('tasks.status', 'in', t.statuses)]) : eb('tasks.type_id', '=', t.id)))),
    );
  if (onlyId) q = q.where('tasks.id', '=', onlyId);
  if (target.hasContent !== undefined) {
    q = q.where((eb) => {
      const lines = eb.selectFrom('task_lines').select('task_lines.id').where('task_lines.org_id', '=', orgId).whereRef('task_lines.task_id', '=', 'tasks.id');
      return target.hasContent ? eb.exists(lines) : eb.not(eb.exists(lines));
    });
  }
  const rows = await q.orderBy('tasks.number').execute();
  const prefix = new Map(types.map((t) => [t.id, t.prefix]));
  return rows.map((r) => ({ id: r.id, displayNumber: `${prefix.get(r.type_id)}-${r.number}`, title: r.title }));
}

/** The status keys of a workflow the target admits; null: any. */
function statusesOf(w: Workflow, target: ScheduleTarget): string[] | null {
  if (!target.statuses && !target.statusCategory) return null;
  return w.statuses
    .filter((s) => (!target.statuses || target.statuses.includes(s.key)) && (!target.statusCategory || s.category === target.statusCategory))
    .map((s) => s.key);
}
