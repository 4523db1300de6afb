import { staticQuery, type Executor } from '../db/index.ts';
import { actionsByType } from './actions/index.ts';
import { takePrefetchedRules } from './prefetched-rules.ts';
import type { ActionSpec, Rule } from './types.ts';
import { toRule } from './rule-row.ts';

export { ruleRow, toRule } from './rule-row.ts';

/** A rule as the API and its history show it: no organization id, and no secret (a hint instead). */
export const toRuleDto = ({ orgId: _o, ...r }: Rule) => ({ ...r, actions: r.actions.map(redactStep) });

function redactStep(spec: ActionSpec): ActionSpec {
  const def = actionsByType.get(spec.type);
  if (!def?.redact) return spec;
  const { id, type, ...params } = spec;
  return { id, type, ...def.redact(params) };
}

export async function findRule(db: Executor, orgId: string, id: string): Promise<Rule | undefined> {
  const row = await db.selectFrom('automation_rules').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return row && toRule(row);
}

/** Enabled rules in firing order. */
// Read on every transition: built once (see staticQuery).
const enabledRuleRows = staticQuery((db, orgId: string) =>
  db.selectFrom('automation_rules').selectAll().where('org_id', '=', orgId).where('enabled', '=', 1).orderBy('position').orderBy('id'),
);

export async function enabledRules(db: Executor, orgId: string): Promise<readonly Rule[]> {
  return takePrefetchedRules(db, orgId) ?? (await enabledRuleRows(db, orgId)).rows.map(toRule);
}

export async function nextRulePosition(db: Executor, orgId: string): Promise<number> {
  const r = await db
    .selectFrom('automation_rules')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return r?.p == null ? 10 : Number(r.p) + 10;
}
