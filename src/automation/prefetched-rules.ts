import { sql, type RawBuilder } from 'kysely';
import type { Dialect, Executor } from '../db/index.ts';
import type { AutomationRulesTable } from '../db/schema.ts';
import { toRule } from './rule-row.ts';
import type { Rule } from './types.ts';

/*
 * The enabled rules of an organization, read by a statement that reads other rows (the lock at
 * the start of a transition, tasks/store.ts) instead of by a statement of their own: on
 * PostgreSQL a round trip less per transition. And read only when they changed: each store keeps
 * the rules it parsed, by organization, with their generation (migration 0020: every write of a
 * rule raises it, by trigger, in the writer's transaction). The lock reads the generation and
 * builds the rules' JSON only when it is not the one kept (issue 10). This module imports nothing
 * of the rules' own but how a row is parsed, so the tasks' store can use it.
 */

/** The columns of a rule row, in the order the rules' JSON gives them. */
const COLUMNS = ['id', 'key', 'name', 'trigger', 'trigger_type', 'conditions', 'actions', 'position', 'created_at', 'updated_at', 'version'] as const;
const RULE_VALUES = sql.raw(COLUMNS.map((c) => `r.${c}`).join(', '));

/** The enabled rules of the organization of the `tasks` row the statement reads, in firing order (enabledRules' order): one JSON text, an array with an array of COLUMNS' values per rule. */
const ENABLED_RULES_JSON: Record<Dialect, RawBuilder<string>> = {
  sqlite: sql<string>`(select json_group_array(json_array(${RULE_VALUES}) order by r.position, r.id) from automation_rules r where r.org_id = tasks.org_id and r.enabled = 1)`,
  postgres: sql<string>`(select coalesce(json_agg(json_build_array(${RULE_VALUES}) order by r.position, r.id), '[]')::text from automation_rules r where r.org_id = tasks.org_id and r.enabled = 1)`,
};

/** The generation of the rules of the `tasks` row's organization; 0 while none was written since migration 0020. */
const GENERATION = sql<number>`coalesce((select g.value from org_counters g where g.org_id = tasks.org_id and g.name = 'rules_generation'), 0)`;

/**
 * What the lock statement selects for the rules: their generation, and their JSON unless the
 * generation is `known` (the one this store keeps for the organization; -1 for none), else null.
 * Both in one statement snapshot: the JSON is the rules at that generation.
 */
export const enabledRulesColumns = (dialect: Dialect, known: number) => [
  GENERATION.as('rules_generation'),
  sql<string | null>`case when ${GENERATION} = cast(${known} as bigint) then null else ${ENABLED_RULES_JSON[dialect]} end`.as('enabled_rules'),
];

/** The rules a store keeps, by organization: parsed once per generation. */
type Kept = Map<string, { generation: number; rules: readonly Rule[] }>;
const keptByStore = new WeakMap<object, Kept>();
/** Organizations kept per store; beyond, the one kept longest goes. */
const MAX_ORGS = 1000;

const keptOf = (store: object): Kept => {
  let kept = keptByStore.get(store);
  if (!kept) keptByStore.set(store, (kept = new Map()));
  return kept;
};

/** The generation `store` keeps the rules of `orgId` at, for enabledRulesColumns; -1 for none. */
export const knownGeneration = (store: object, orgId: string): number => keptOf(store).get(orgId)?.generation ?? -1;

/**
 * Keeps the rules the lock statement read (or, when it read none, those `store` keeps at that
 * generation) for the transaction's next enabledRules of that organization (the transition's
 * rules step), which takes them instead of reading the table. Taken once: a later read in the
 * transaction (a transition an automation causes) reads the table, as before. Nothing between
 * the lock and the rules step writes rules.
 */
export function rememberEnabledRules(trx: Executor, store: object, orgId: string, generation: number | string, json: string | null): void {
  if (!trx.isTransaction) return;
  const gen = Number(generation);
  const rules = json === null ? keptAt(store, orgId, gen) : keep(store, orgId, gen, json);
  // None: the kept rules were replaced or evicted after the statement was sent; enabledRules reads the table.
  if (rules) prefetched.set(trx, { orgId, rules });
}

/** The rules `store` keeps for `orgId`, if kept at `generation`. */
const keptAt = (store: object, orgId: string, generation: number) => {
  const kept = keptOf(store).get(orgId);
  return kept?.generation === generation ? kept.rules : undefined;
};

/** Parses the rules' JSON and keeps them at `generation`, the latest kept last. */
function keep(store: object, orgId: string, generation: number, json: string): readonly Rule[] {
  const kept = keptOf(store);
  const rules = deepFreeze(parseRules(orgId, json));
  kept.delete(orgId);
  if (kept.size >= MAX_ORGS) kept.delete(kept.keys().next().value!);
  kept.set(orgId, { generation, rules });
  return rules;
}

/** The rules remembered for this transaction and organization, once; undefined when there are none to take. */
export function takePrefetchedRules(trx: Executor, orgId: string): readonly Rule[] | undefined {
  const kept = prefetched.get(trx);
  if (kept?.orgId !== orgId) return undefined;
  prefetched.delete(trx);
  return kept.rules;
}

const prefetched = new WeakMap<Executor, { orgId: string; rules: readonly Rule[] }>();

function parseRules(orgId: string, json: string): Rule[] {
  const rows = JSON.parse(json) as unknown[][];
  return rows.map((values) => {
    const row: Record<string, unknown> = { org_id: orgId, enabled: 1 };
    COLUMNS.forEach((c, i) => {
      row[c] = values[i];
    });
    return toRule(row as unknown as AutomationRulesTable);
  });
}

/** Kept rules are shared by every transaction of the store: nobody may change one. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
