import type { Executor } from '../db/index.ts';
import type { TransitionEvent } from '../tasks/index.ts';
import type { Rule } from './types.ts';

/** Does the transition fire this rule's trigger? (No database access.) */
export function triggerMatches(rule: Rule, e: TransitionEvent): boolean {
  const t = rule.trigger;
  if (t.type !== 'status_entered') return false;
  if (t.status !== undefined && t.status !== e.to) return false;
  if (t.category !== undefined && t.category !== e.toCategory) return false;
  if (t.taskTypeIds && !t.taskTypeIds.includes(e.task.type_id)) return false;
  if (t.fromStatuses && !t.fromStatuses.includes(e.from)) return false;
  return true;
}

/** Do all the rule's conditions hold for the task? Reads the client or parent only when asked. */
export async function conditionsHold(trx: Executor, rule: Rule, e: TransitionEvent): Promise<boolean> {
  const c = rule.conditions;
  const task = e.task;
  if (c.taskTypeIds && !c.taskTypeIds.includes(task.type_id)) return false;
  if (c.clientIds && (!task.client_id || !c.clientIds.includes(task.client_id))) return false;
  if (c.hasParent !== undefined && c.hasParent !== (task.parent_id !== null)) return false;
  if (c.clientTaxRegions || c.clientHasBillingEmail !== undefined) {
    const client = task.client_id
      ? await trx
          .selectFrom('clients')
          .select(['tax_region', 'billing_emails'])
          .where('org_id', '=', task.org_id)
          .where('id', '=', task.client_id)
          .executeTakeFirst()
      : undefined;
    if (c.clientTaxRegions && (!client || !(c.clientTaxRegions as string[]).includes(client.tax_region))) return false;
    if (c.clientHasBillingEmail !== undefined && c.clientHasBillingEmail !== hasBillingEmail(client)) return false;
  }
  if (c.parentTypeIds) {
    if (!task.parent_id) return false;
    const parentTypeId = await typeIdOf(trx, task.org_id, task.parent_id);
    if (!parentTypeId || !c.parentTypeIds.includes(parentTypeId)) return false;
  }
  return true;
}

// A task's type is set when it is created and no code path changes it: the parent's type, read
// once, is kept across requests (completions under one main task read it for every sibling).
const typeIds = new Map<string, string>();
async function typeIdOf(trx: Executor, orgId: string, taskId: string): Promise<string | undefined> {
  const key = `${orgId}/${taskId}`;
  const held = typeIds.get(key);
  if (held) return held;
  const row = await trx.selectFrom('tasks').select('type_id').where('org_id', '=', orgId).where('id', '=', taskId).executeTakeFirst();
  if (!row) return undefined;
  if (typeIds.size > 10_000) typeIds.clear();
  typeIds.set(key, row.type_id);
  return row.type_id;
}

function hasBillingEmail(client: { billing_emails: string } | undefined): boolean {
  return client !== undefined && (JSON.parse(client.billing_emails) as string[]).some((e) => e.trim() !== '');
}
