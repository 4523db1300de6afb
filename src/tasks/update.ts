import type { z } from 'zod';
import { canSeeAllTasks, type Principal } from '../accounts/principal.ts';
import { forUpdate } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { forbidden, notFound } from '../shared/errors.ts';
import { findTaskType } from '../task-types/store.ts';
import { assertCanSeeTask } from './access.ts';
import { assertBillingFactsEditable } from './billing-facts.ts';
import { checkSchedule } from './create.ts';
import { checkAssignees, checkClient, checkParent, replaceAssignees } from './references.ts';
import type { TaskDto, UpdateTaskBody } from './schemas.ts';
import { assigneesOf, toTaskDto, type TaskRow } from './store.ts';
import { runTransaction } from '../db/transaction.ts';
import { checkVersion, updateVersioned } from '../db/versioned.ts';

const DISPATCH_FIELDS = ['clientId', 'parentId', 'assigneeIds'] as const;

/** Edits a task's fields (not its status: that is a transition). */
export async function updateTask(deps: Deps, p: Principal, id: string, input: z.output<typeof UpdateTaskBody>): Promise<TaskDto> {
  if (!canSeeAllTasks(p)) {
    const denied = DISPATCH_FIELDS.filter((f) => input[f] !== undefined);
    if (denied.length) throw forbidden('field_not_allowed', `a technician cannot change ${denied.join(', ')}`, { fields: denied });
  }
  return runTransaction(deps, async (trx) => {
    // Re-parenting takes turns in the organization, before any task is locked: two tasks put
    // under each other at once would each pass the cycle check before the other committed.
    if (input.parentId) await forUpdate(trx.selectFrom('organizations').select('id').where('id', '=', p.orgId), deps.db.dialect).execute();
    const current = await forUpdate(trx.selectFrom('tasks').selectAll().where('org_id', '=', p.orgId).where('id', '=', id), deps.db.dialect).executeTakeFirst();
    if (!current) throw notFound('task', id);
    await assertCanSeeTask(trx, p, id);
    checkVersion('tasks', current.version, input.version);
    if (input.clientId) await checkClient(trx, p.orgId, input.clientId);
    if (input.parentId) await checkParent(trx, p.orgId, input.parentId, id);
    const pick = <K extends keyof typeof input>(k: K, fallback: unknown) => (input[k] === undefined ? fallback : input[k]);
    const next: TaskRow = {
      ...current,
      title: input.title ?? current.title,
      description: pick('description', current.description) as string | null,
      client_id: pick('clientId', current.client_id) as string | null,
      parent_id: pick('parentId', current.parent_id) as string | null,
      scheduled_start: pick('scheduledStart', current.scheduled_start) as string | null,
      scheduled_end: pick('scheduledEnd', current.scheduled_end) as string | null,
      site_address: input.siteAddress === undefined ? current.site_address : input.siteAddress && JSON.stringify(input.siteAddress),
      updated_by: p.userId,
      updated_at: deps.clock.now().toISOString(),
      version: current.version + 1,
    };
    checkSchedule(next.scheduled_start, next.scheduled_end);
    await assertBillingFactsEditable(trx, current, next);
    await updateVersioned(trx, 'tasks', { orgId: p.orgId, id, version: current.version }, next);
    if (input.assigneeIds) await replaceAssignees(trx, p.orgId, id, await checkAssignees(trx, p.orgId, input.assigneeIds));
    const type = (await findTaskType(trx, p.orgId, next.type_id))!;
    const assignees = (await assigneesOf(trx, p.orgId, [id])).get(id) ?? [];
    const client = next.client_id
      ? await trx.selectFrom('clients').select('name').where('org_id', '=', p.orgId).where('id', '=', next.client_id).executeTakeFirst()
      : undefined;
    return toTaskDto(next, type, assignees, client?.name);
  });
}
