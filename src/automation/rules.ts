import type { z } from 'zod';
import { requireRole, type Principal } from '../accounts/principal.ts';
import { forShare, type Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { actionsByType } from './actions/index.ts';
import { recordRuleChange } from './history.ts';
import { findRule, nextRulePosition, ruleRow, toRule } from './rule-store.ts';
import { taskTypeIdsNamedBy } from './rules-naming.ts';
import type { CreateRuleBody, UpdateRuleBody } from './schemas.ts';
import type { ActionSpec, Rule } from './types.ts';
import { runTransaction } from '../db/transaction.ts';
import { checkVersion, updateVersioned } from '../db/versioned.ts';

export async function listRules(deps: Deps, p: Principal): Promise<Rule[]> {
  requireRole(p, 'admin');
  const rows = await deps.db.kysely.selectFrom('automation_rules').selectAll().where('org_id', '=', p.orgId).orderBy('position').orderBy('id').execute();
  return rows.map(toRule);
}

export async function getRule(deps: Deps, p: Principal, id: string): Promise<Rule> {
  requireRole(p, 'admin');
  const rule = await findRule(deps.db.kysely, p.orgId, id);
  if (!rule) throw notFound('automation', id);
  return rule;
}

/** A saved rule, and the secrets the server generated for it (shown in this response only). */
export interface SavedRule {
  rule: Rule;
  secrets: Record<string, string>;
}

export async function createRule(deps: Deps, p: Principal, input: z.output<typeof CreateRuleBody>): Promise<SavedRule> {
  requireRole(p, 'admin');
  return runTransaction(deps, async (trx) => {
    const now = deps.clock.now().toISOString();
    const { actions, secrets } = prepareSteps(deps, withStepIds(input.actions), []);
    const rule: Rule = {
      id: newId(),
      orgId: p.orgId,
      key: null,
      name: input.name,
      enabled: input.enabled,
      trigger: input.trigger,
      conditions: input.conditions,
      actions,
      position: await nextRulePosition(trx, p.orgId),
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await checkReferences(trx, deps, rule);
    await trx.insertInto('automation_rules').values(ruleRow(rule)).execute();
    await recordRuleChange(trx, { rule, userId: p.userId, change: 'created', before: null, after: rule, at: now });
    return { rule, secrets };
  });
}

/** Applies a change to a rule under optimistic concurrency, keeping its history. */
export async function changeRule(
  deps: Deps,
  p: Principal,
  id: string,
  change: string,
  edit: (r: Rule) => Partial<Rule>,
  version?: number,
  opts: { checkReferences?: boolean } = {},
): Promise<Rule> {
  requireRole(p, 'admin');
  return runTransaction(deps, async (trx) => {
    const before = await findRule(trx, p.orgId, id);
    if (!before) throw notFound('automation', id);
    checkVersion('automation_rules', before.version, version);
    const now = deps.clock.now().toISOString();
    const after: Rule = { ...before, ...edit(before), updatedAt: now, version: before.version + 1 };
    if (opts.checkReferences ?? true) await checkReferences(trx, deps, after);
    await updateVersioned(trx, 'automation_rules', { orgId: p.orgId, id, version: before.version }, ruleRow(after));
    await recordRuleChange(trx, { rule: after, userId: p.userId, change, before, after, at: now });
    return after;
  });
}

export async function updateRule(deps: Deps, p: Principal, id: string, input: z.output<typeof UpdateRuleBody>): Promise<SavedRule> {
  let secrets: Record<string, string> = {};
  const rule = await changeRule(
    deps,
    p,
    id,
    'updated',
    (r) => {
      const prepared = input.actions ? prepareSteps(deps, withStepIds(input.actions), r.actions) : { actions: r.actions, secrets: {} };
      secrets = prepared.secrets;
      return {
        name: input.name ?? r.name,
        trigger: input.trigger ?? r.trigger,
        conditions: input.conditions ?? r.conditions,
        actions: prepared.actions,
        position: input.position ?? r.position,
      };
    },
    input.version,
  );
  return { rule, secrets };
}

export const enableRule = (deps: Deps, p: Principal, id: string) => changeRule(deps, p, id, 'enabled', () => ({ enabled: true }));
/** Always works, even when the rule names a task type or client that no longer exists: a disabled rule runs nothing. */
export const disableRule = (deps: Deps, p: Principal, id: string) =>
  changeRule(deps, p, id, 'disabled', () => ({ enabled: false }), undefined, { checkReferences: false });

/** A copy of the rule, disabled, placed after the others (webhook secrets are copied too). */
export async function duplicateRule(deps: Deps, p: Principal, id: string): Promise<SavedRule> {
  const source = await getRule(deps, p, id);
  return createRule(deps, p, {
    name: `${source.name} (copy)`.slice(0, 200),
    enabled: false,
    trigger: source.trigger,
    conditions: source.conditions,
    actions: source.actions,
  });
}

export async function deleteRule(deps: Deps, p: Principal, id: string): Promise<void> {
  requireRole(p, 'admin');
  await runTransaction(deps, async (trx) => {
    const before = await findRule(trx, p.orgId, id);
    if (!before) throw notFound('automation', id);
    await trx.deleteFrom('automation_rules').where('org_id', '=', p.orgId).where('id', '=', id).execute();
    await recordRuleChange(trx, { rule: before, userId: p.userId, change: 'deleted', before, after: null, at: deps.clock.now().toISOString() });
  });
}

export async function ruleHistory(deps: Deps, p: Principal, id: string) {
  requireRole(p, 'admin');
  const rows = await deps.db.kysely
    .selectFrom('automation_rule_history')
    .selectAll()
    .where('org_id', '=', p.orgId)
    .where('rule_id', '=', id)
    .orderBy('id')
    .execute();
  if (rows.length === 0 && !(await findRule(deps.db.kysely, p.orgId, id))) throw notFound('automation', id);
  return rows.map((r) => ({
    id: r.id,
    change: r.change,
    userId: r.user_id,
    before: r.before && JSON.parse(r.before),
    after: r.after && JSON.parse(r.after),
    at: r.at,
  }));
}

/** Step ids are stable: given, or numbered once when the rule is saved. */
function withStepIds(actions: Record<string, unknown>[]): ActionSpec[] {
  const ids = new Set<string>();
  return actions.map((a, i) => {
    const id = typeof a.id === 'string' ? a.id : `${i + 1}-${String(a.type)}`;
    if (ids.has(id)) throw invalid('duplicate_step_id', `two actions have the id "${id}"`, { field: `actions.${i}.id` });
    ids.add(id);
    return { ...a, id, type: String(a.type) };
  });
}

/** Each action completes its params for storage (e.g. a webhook's secret), seeing the stored step of the same id. */
function prepareSteps(deps: Deps, actions: ActionSpec[], stored: ActionSpec[]): { actions: ActionSpec[]; secrets: Record<string, string> } {
  const secrets: Record<string, string> = {};
  const prepared = actions.map((spec) => {
    const def = actionsByType.get(spec.type);
    if (!def?.prepare) return spec;
    const { id, type, ...params } = spec;
    const before = stored.find((s) => s.id === id && s.type === type);
    const { id: _i, type: _t, ...previous } = before ?? { id, type };
    const out = def.prepare(params, before ? previous : undefined, { secrets: deps.secrets });
    if (out.reveal) secrets[id] = out.reveal;
    return { ...out.params, id, type };
  });
  return { actions: prepared, secrets };
}

/** Every id a rule names must exist in the organization. */
async function checkReferences(trx: Executor, deps: Deps, rule: Rule): Promise<void> {
  // An action's own types (create_task) are checked by its validate(), which names the field.
  const typeIds = taskTypeIdsNamedBy({ ...rule, actions: [] });
  if (typeIds.length) {
    // FOR SHARE: a concurrent delete of one of these types (FOR UPDATE) waits, then sees this rule.
    const q = trx.selectFrom('task_types').select('id').where('org_id', '=', rule.orgId).where('id', 'in', typeIds);
    const found = await forShare(q, deps.db.dialect).execute();
    const missing = [...new Set(typeIds)].filter((t) => !found.some((f) => f.id === t));
    if (missing.length) throw invalid('task_type_not_found', 'the rule names task types that do not exist', { ids: missing });
  }
  if (rule.conditions.clientIds?.length) {
    const found = await trx.selectFrom('clients').select('id').where('org_id', '=', rule.orgId).where('id', 'in', rule.conditions.clientIds).execute();
    const missing = rule.conditions.clientIds.filter((c) => !found.some((f) => f.id === c));
    if (missing.length) throw invalid('client_not_found', 'the rule names clients that do not exist', { ids: missing });
  }
  for (const [i, spec] of rule.actions.entries()) {
    const def = actionsByType.get(spec.type);
    if (!def) throw invalid('unknown_action', `no action "${spec.type}"`, { field: `actions.${i}.type` });
    const { id: _i, type: _t, ...params } = spec;
    try {
      await def.validate?.({ trx, orgId: rule.orgId, deps }, params);
    } catch (err) {
      throw atStep(err, i);
    }
  }
}

/** An action names its own field (`templates.fr.subject`); the rule's is `actions.1.templates.fr.subject`, as zod's paths are. */
function atStep(err: unknown, index: number): unknown {
  if (!(err instanceof AppError) || Array.isArray(err.details) || typeof err.details.field !== 'string') return err;
  return new AppError(err.type, err.code, err.message, { ...err.details, field: `actions.${index}.${err.details.field}` }, { cause: err });
}
