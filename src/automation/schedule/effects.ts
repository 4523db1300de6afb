import type { Executor } from '../../db/index.ts';

/** What running a rule on one task caused, for people to read (`chantier run-schedule`). */
export interface TaskEffects {
  invoices: { number: string; totalCents: number; currency: string }[];
  emailsQueued: number;
  tasksCreated: { displayNumber: string; title: string }[];
}

/**
 * The effects of the work done on `taskId` since `since` (an id taken just before it: ids are
 * time-ordered and increasing within a process): the invoices issued for the task, and the
 * emails queued and tasks created by the rules its transition fired (their run log).
 * MUST run inside the task's transaction, after the work.
 */
export async function collectEffects(trx: Executor, orgId: string, taskId: string, since: string): Promise<TaskEffects> {
  const invoices = await trx
    .selectFrom('invoices')
    .select(['number', 'total_cents', 'currency'])
    .where('org_id', '=', orgId)
    .where('task_id', '=', taskId)
    .where('kind', '=', 'invoice')
    .where('id', '>', since)
    .orderBy('id')
    .execute();
  const runs = await trx
    .selectFrom('automation_runs')
    .select('actions')
    .where('org_id', '=', orgId)
    .where('task_id', '=', taskId)
    .where('outcome', '=', 'succeeded')
    .where('id', '>', since)
    .orderBy('id')
    .execute();
  const effects: TaskEffects = {
    invoices: invoices.map((i) => ({ number: i.number, totalCents: Number(i.total_cents), currency: i.currency })),
    emailsQueued: 0,
    tasksCreated: [],
  };
  for (const run of runs) {
    for (const step of JSON.parse(run.actions) as { type: string; outcome: string; detail?: Record<string, unknown> }[]) {
      if (step.outcome !== 'done') continue;
      if (step.type === 'send_email') effects.emailsQueued += 1;
      if (step.type === 'create_task' && typeof step.detail?.displayNumber === 'string') {
        effects.tasksCreated.push({ displayNumber: step.detail.displayNumber, title: String(step.detail.title ?? '') });
      }
    }
  }
  return effects;
}
