import type { Executor } from '../db/index.ts';
import type { Rule } from './types.ts';

/**
 * The task types a rule names: in its trigger (or its schedule's target), its conditions, and
 * its actions' parameters named `typeId` or `…TypeId` (create_task's typeId, consolidate's
 * invoiceTypeId). Kept free of other automation imports: the task-types capability asks it
 * before deleting a type.
 */
export function taskTypeIdsNamedBy(rule: Pick<Rule, 'trigger' | 'conditions' | 'actions'>): string[] {
  const trigger = rule.trigger.type === 'schedule' ? rule.trigger.target.taskTypeIds : (rule.trigger.taskTypeIds ?? []);
  const actions = rule.actions.flatMap((a) =>
    Object.entries(a).flatMap(([k, v]) => ((k === 'typeId' || k.endsWith('TypeId')) && typeof v === 'string' ? [v] : [])),
  );
  return [...new Set([...trigger, ...(rule.conditions.taskTypeIds ?? []), ...(rule.conditions.parentTypeIds ?? []), ...actions])];
}

/** The organization's enabled rules that name this task type, by name. */
export async function enabledRulesNamingTaskType(db: Executor, orgId: string, typeId: string): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .selectFrom('automation_rules')
    .select(['id', 'name', 'trigger', 'conditions', 'actions'])
    .where('org_id', '=', orgId)
    .where('enabled', '=', 1)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows
    .filter((r) =>
      taskTypeIdsNamedBy({ trigger: JSON.parse(r.trigger), conditions: JSON.parse(r.conditions), actions: JSON.parse(r.actions) }).includes(typeId),
    )
    .map((r) => ({ id: r.id, name: r.name }));
}
