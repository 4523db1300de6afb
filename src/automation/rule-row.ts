import type { AutomationRulesTable } from '../db/schema.ts';
import type { Rule } from './types.ts';

// A rule's row and the rule it holds. Imports nothing of the rules' own (no action), so that
// prefetched-rules.ts, which the tasks' store uses, can parse the rules it reads.

export function toRule(r: AutomationRulesTable): Rule {
  return {
    id: r.id,
    orgId: r.org_id,
    key: r.key,
    name: r.name,
    enabled: Boolean(r.enabled),
    trigger: JSON.parse(r.trigger),
    conditions: JSON.parse(r.conditions),
    actions: JSON.parse(r.actions),
    position: r.position,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export function ruleRow(r: Rule): AutomationRulesTable {
  return {
    id: r.id,
    org_id: r.orgId,
    key: r.key,
    name: r.name,
    enabled: r.enabled ? 1 : 0,
    trigger: JSON.stringify(r.trigger),
    trigger_type: r.trigger.type,
    conditions: JSON.stringify(r.conditions),
    actions: JSON.stringify(r.actions),
    position: r.position,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    version: r.version,
  };
}
