import type { Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import { ruleRow } from './rule-store.ts';
import type { Rule } from './types.ts';

/**
 * The two rules of the founding document, ready but disabled: enabling one is a single call
 * (POST /api/v1/automations/{id}/enable). MUST run in the organization's creation transaction,
 * after its default task types.
 */
export async function seedDefaultRules(trx: Executor, orgId: string, now: string): Promise<void> {
  const types = await trx.selectFrom('task_types').select(['id', 'key']).where('org_id', '=', orgId).execute();
  const work = types.find((t) => t.key === 'work')?.id;
  const invoice = types.find((t) => t.key === 'invoice')?.id;
  if (!work || !invoice) return;
  const base = { orgId, enabled: false, createdAt: now, updatedAt: now, version: 1 };
  const rules: Rule[] = [
    {
      ...base,
      id: newId(),
      key: 'consolidate_by_project',
      name: 'Consolidate by project',
      position: 10,
      trigger: { type: 'status_entered', category: 'done' },
      conditions: { hasParent: true, parentTypeIds: [work] },
      actions: [{ id: 'consolidate', type: 'consolidate', target: 'parent', completeTargetWhenDone: false }],
    },
    {
      ...base,
      id: newId(),
      key: 'progressive_billing',
      name: 'Progressive billing',
      position: 20,
      trigger: { type: 'status_entered', category: 'done', taskTypeIds: [work] },
      conditions: { hasParent: false },
      actions: [{ id: 'consolidate', type: 'consolidate', target: 'client_open_invoice', invoiceTypeId: invoice }],
    },
  ];
  await trx.insertInto('automation_rules').values(rules.map(ruleRow)).execute();
}
