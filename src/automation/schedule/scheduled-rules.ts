import type { Executor } from '../../db/index.ts';
import { toRule } from '../rule-store.ts';
import type { ScheduledRule } from './run-occurrence.ts';

export type ScheduledRuleIn = ScheduledRule & { timeZone: string };

/** Enabled scheduled rules of every organization (or of one rule), with their organization's time zone. */
export async function scheduledRules(db: Executor, only?: { orgId?: string; ruleId: string }): Promise<ScheduledRuleIn[]> {
  let q = db
    .selectFrom('automation_rules')
    .innerJoin('organizations', 'organizations.id', 'automation_rules.org_id')
    .selectAll('automation_rules')
    .select('organizations.time_zone')
    .where('automation_rules.trigger_type', '=', 'schedule');
  q = only ? q.where('automation_rules.id', '=', only.ruleId) : q.where('automation_rules.enabled', '=', 1);
  if (only?.orgId) q = q.where('automation_rules.org_id', '=', only.orgId);
  const rows = await q.orderBy('automation_rules.id').execute();
  return rows.map(({ time_zone, ...r }) => ({ ...(toRule(r) as ScheduledRule), timeZone: time_zone }));
}
