import { z } from 'zod';
import { lockTask } from '../../tasks/index.ts';
import { defineAction } from './registry.ts';

/** Moves the task itself, or its main task, to a status (fires that transition's rules too). */
export const transitionTaskAction = defineAction<{ task: 'self' | 'parent'; to: string }>({
  type: 'transition_task',
  summary: 'Move the task or its parent to a status',
  params: z.strictObject({
    task: z.enum(['self', 'parent']).default('self'),
    to: z.string().min(1).max(40),
  }),
  async run({ trx, deps, event }, params) {
    const id = params.task === 'self' ? event.task.id : event.task.parent_id;
    if (!id) return { outcome: 'skipped', detail: { reason: 'no_parent' } };
    const row = await lockTask(trx, deps, event.task.org_id, id);
    if (!row) return { outcome: 'skipped', detail: { reason: 'task_missing' } };
    if (row.status === params.to) return { outcome: 'skipped', detail: { reason: 'already_there', taskId: id } };
    await deps.applyTransition(trx, deps, row, params.to, null, event.depth + 1, event.moment);
    return { outcome: 'done', detail: { taskId: id, from: row.status, to: params.to } };
  },
});
