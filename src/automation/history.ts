import type { Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import { toRuleDto } from './rule-store.ts';
import type { Rule } from './types.ts';

/** Every change of a rule is kept: who, when, before and after. MUST run in the change's transaction. */
export async function recordRuleChange(
  trx: Executor,
  input: { rule: Rule; userId: string | null; change: string; before: Rule | null; after: Rule | null; at: string },
): Promise<void> {
  await trx
    .insertInto('automation_rule_history')
    .values({
      id: newId(),
      org_id: input.rule.orgId,
      rule_id: input.rule.id,
      user_id: input.userId,
      change: input.change,
      before: input.before && JSON.stringify(toRuleDto(input.before)),
      after: input.after && JSON.stringify(toRuleDto(input.after)),
      at: input.at,
    })
    .execute();
}
