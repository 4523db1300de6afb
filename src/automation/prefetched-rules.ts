import { sql, type RawBuilder } from 'kysely';
import type { Dialect, Executor } from '../db/index.ts';
import type { AutomationRulesTable } from '../db/schema.ts';

/*
 * The enabled rules of an organization, read by a statement that reads other rows (the lock at
 * the start of a transition, tasks/store.ts) instead of by a statement of their own: on
 * PostgreSQL a round trip less per transition. This module imports nothing of the rules' own, so
 * the tasks' store can use it.
 */

/** The columns of a rule row, in the order ENABLED_RULES_JSON gives them. */
const COLUMNS = ['id', 'key', 'name', 'trigger', 'trigger_type', 'conditions', 'actions', 'position', 'created_at', 'updated_at', 'version'] as const;
const RULE_VALUES = sql.raw(COLUMNS.map((c) => `r.${c}`).join(', '));

/**
 * The enabled rules of the organization of the `tasks` row the statement reads, in firing order
 * (enabledRules' order), as one JSON text: an array with an array of COLUMNS' values per rule.
 */
export const ENABLED_RULES_JSON: Record<Dialect, RawBuilder<string>> = {
  sqlite: sql<string>`(select json_group_array(json_array(${RULE_VALUES}) order by r.position, r.id) from automation_rules r where r.org_id = tasks.org_id and r.enabled = 1)`,
  postgres: sql<string>`(select coalesce(json_agg(json_build_array(${RULE_VALUES}) order by r.position, r.id), '[]')::text from automation_rules r where r.org_id = tasks.org_id and r.enabled = 1)`,
};

/**
 * Keeps the rules ENABLED_RULES_JSON read for the transaction's next enabledRules of that
 * organization (the transition's rules step), which takes them instead of reading the table.
 * Taken once: a later read in the transaction (a transition an automation causes) reads the
 * table, as before. Nothing between the lock and the rules step writes rules.
 */
export function rememberEnabledRules(trx: Executor, orgId: string, json: string): void {
  if (trx.isTransaction) prefetched.set(trx, { orgId, json });
}

/** The rule rows remembered for this transaction and organization, once; undefined when there are none to take. */
export function takePrefetchedRules(trx: Executor, orgId: string): AutomationRulesTable[] | undefined {
  const kept = prefetched.get(trx);
  if (kept?.orgId !== orgId) return undefined;
  prefetched.delete(trx);
  const rows = JSON.parse(kept.json) as unknown[][];
  return rows.map((values) => {
    const row: Record<string, unknown> = { org_id: orgId, enabled: 1 };
    COLUMNS.forEach((c, i) => {
      row[c] = values[i];
    });
    return row as unknown as AutomationRulesTable;
  });
}

const prefetched = new WeakMap<Executor, { orgId: string; json: string }>();
