import { z } from 'zod';
import type { Executor } from '../../db/index.ts';
import { Id } from '../../http/schemas.ts';
import { invalid } from '../../shared/errors.ts';
import { findTaskType } from '../../task-types/index.ts';
import { statusOf } from '../../task-types/workflow.ts';
import { findTaskRow, insertTask } from '../../tasks/index.ts';
import { checkAssignees } from '../../tasks/references.ts';
import { assigneesOf } from '../../tasks/store.ts';
import { checkTaskSchedule, scheduleFor, TaskScheduleParams } from './create-task-plan.ts';
import { defineAction } from './registry.ts';
import { fillTaskTemplate, periodValues, TASK_TEMPLATE_VARIABLES, unknownTaskVariables } from './task-template.ts';

type Params = {
  typeId: string;
  title: string;
  description?: string;
  client: 'same_as_trigger' | 'none';
  parent: 'none' | 'same_parent' | 'triggering_task';
  assignees: 'none' | 'same_as_trigger' | string[];
  status?: string;
  schedule?: TaskScheduleParams;
};

const variables = `variables: ${TASK_TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(' ')}`;

/**
 * Creates a task (e.g. next month's invoice) inside the triggering transaction. A billing task
 * for a client sweeps in that client's pending content as it is created (task-created hook).
 */
export const createTaskAction = defineAction<Params>({
  type: 'create_task',
  summary: 'Create a task: type, title and description templates, client, parent, assignees, status and dates relative to the trigger',
  params: z.strictObject({
    typeId: Id,
    title: z.string().trim().min(1).max(300).describe(`Template, e.g. "Facture {client.name} — {period.next.month_name} {period.next.year}"; ${variables}`),
    description: z.string().max(20_000).optional().describe(`Template; ${variables}`),
    client: z.enum(['same_as_trigger', 'none']).default('same_as_trigger'),
    parent: z.enum(['none', 'same_parent', 'triggering_task']).default('none'),
    assignees: z
      .union([z.enum(['none', 'same_as_trigger']), z.array(Id).min(1).max(50)])
      .default('none')
      .describe('none, same_as_trigger, or user ids'),
    status: z.string().min(1).max(40).optional().describe('An open or active status of the type (default: its initial status)'),
    schedule: TaskScheduleParams.optional(),
  }),
  async validate({ trx, orgId }, p) {
    for (const field of ['title', 'description'] as const) {
      const unknown = unknownTaskVariables(p[field] ?? '');
      if (unknown.length) {
        throw invalid('unknown_template_variable', `unknown variable ${unknown.map((v) => `{${v}}`).join(', ')}; ${variables}`, {
          field,
          unknown,
          known: TASK_TEMPLATE_VARIABLES,
        });
      }
    }
    const type = await findTaskType(trx, orgId, p.typeId);
    if (!type) throw invalid('task_type_not_found', 'the rule names task types that do not exist', { ids: [p.typeId], field: 'typeId' });
    const category = statusOf(type.workflow, p.status ?? type.workflow.initial)?.category;
    if (category !== 'open' && category !== 'active') {
      throw invalid('invalid_initial_status', `a new task must start in an open or active status of its type`, { field: 'status', status: p.status });
    }
    if (Array.isArray(p.assignees)) await checkAssignees(trx, orgId, p.assignees);
    if (p.schedule) checkTaskSchedule(p.schedule);
  },
  async run({ trx, deps, event }, p) {
    const orgId = event.task.org_id;
    const trigger = (await findTaskRow(trx, orgId, event.task.id)) ?? event.task;
    const org = await trx.selectFrom('organizations').select(['time_zone', 'locale']).where('id', '=', orgId).executeTakeFirstOrThrow();
    const clientId = p.client === 'same_as_trigger' ? trigger.client_id : null;
    const client = clientId
      ? await trx.selectFrom('clients').select(['name', 'language']).where('org_id', '=', orgId).where('id', '=', clientId).executeTakeFirst()
      : undefined;
    const language = client?.language ?? (org.locale.startsWith('fr') ? 'fr' : 'en');
    const triggerType = await findTaskType(trx, orgId, trigger.type_id);
    const moment = new Date(event.moment);
    const values = {
      'client.name': client?.name,
      'task.number': triggerType ? `${triggerType.prefix}-${trigger.number}` : String(trigger.number),
      'task.title': trigger.title,
      ...periodValues(moment, org.time_zone, language),
    };
    const type = await findTaskType(trx, orgId, p.typeId);
    // A template left empty by missing values (no client) falls back to the type's name.
    const title = fillTaskTemplate(p.title, values).replace(/\s+/g, ' ').trim().slice(0, 300) || (type?.label[language] ?? 'Task');
    const wanted =
      p.assignees === 'none' ? [] : p.assignees === 'same_as_trigger' ? ((await assigneesOf(trx, orgId, [trigger.id])).get(trigger.id) ?? []) : p.assignees;
    // Someone deactivated since the rule was saved is left out, not a reason to refuse the transition.
    const assigneeIds = await activeUsers(trx, orgId, wanted);
    const parentId = p.parent === 'triggering_task' ? trigger.id : p.parent === 'same_parent' ? trigger.parent_id : null;
    const created = await insertTask(trx, deps, orgId, null, {
      typeId: p.typeId,
      title,
      ...(p.description !== undefined ? { description: fillTaskTemplate(p.description, values) } : {}),
      ...(clientId ? { clientId } : {}),
      ...(parentId ? { parentId } : {}),
      assigneeIds,
      ...(p.status ? { status: p.status } : {}),
      ...(p.schedule ? scheduleFor(p.schedule, moment, org.time_zone) : {}),
    });
    const left = wanted.filter((id) => !assigneeIds.includes(id));
    const detail = { taskId: created.id, displayNumber: created.displayNumber, title: created.title, status: created.status };
    // A new task, under the triggering one or not: the triggering task's own row is not written.
    return { outcome: 'done', taskAsIs: true, detail: left.length ? { ...detail, assigneesLeftOut: left } : detail };
  },
});

async function activeUsers(trx: Executor, orgId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await trx.selectFrom('users').select('id').where('org_id', '=', orgId).where('active', '=', 1).where('id', 'in', ids).execute();
  return ids.filter((id) => rows.some((r) => r.id === id));
}
