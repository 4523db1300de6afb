import { performance } from 'node:perf_hooks';
import type { AutomationRunsTable } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { TransitionHook } from '../tasks/transition-hooks.ts';
import { actionsByType } from './actions/index.ts';
import { conditionsHold, triggerMatches } from './matching.ts';
import { enabledRules } from './rule-store.ts';
import type { ActionContext } from './types.ts';

type StepLog = { id: string; type: string; outcome: string; detail?: Record<string, unknown> };

/**
 * The automation engine, as a transition hook: every enabled rule whose trigger and conditions
 * match runs its actions in order, inside the transition's transaction. A failing action
 * refuses the whole transition (409 automation_failed naming the rule); the failed run is
 * logged after the rollback.
 */
export const runAutomations: TransitionHook = async (trx, event, deps) => {
  const rules = await enabledRules(trx, event.task.org_id);
  for (const rule of rules) {
    if (!triggerMatches(rule, event) || !(await conditionsHold(trx, rule, event))) continue;
    const started = performance.now();
    const steps: StepLog[] = [];
    const ctx: ActionContext = { trx, deps, event, rule };
    const run = (outcome: 'succeeded' | 'failed', error: string | null): AutomationRunsTable => ({
      id: newId(),
      org_id: rule.orgId,
      rule_id: rule.id,
      rule_name: rule.name,
      task_id: event.task.id,
      trigger: JSON.stringify({ from: event.from, to: event.to, depth: event.depth }),
      outcome,
      actions: JSON.stringify(steps),
      error,
      duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
      at: deps.clock.now().toISOString(),
    });
    for (const [i, spec] of rule.actions.entries()) {
      const stepId = spec.id ?? `${i + 1}-${spec.type}`;
      const def = actionsByType.get(spec.type);
      try {
        if (!def) throw new AppError('invalid', 'unknown_action', `no action "${spec.type}"`);
        const { id: _id, type: _type, ...params } = spec;
        const result = await def.run(ctx, params);
        steps.push({ id: stepId, type: spec.type, outcome: result.outcome, ...(result.detail ? { detail: result.detail } : {}) });
      } catch (err) {
        steps.push({ id: stepId, type: spec.type, outcome: 'failed' });
        throw automationFailed(rule, stepId, spec.type, err, (reason) => run('failed', reason), deps);
      }
    }
    await trx.insertInto('automation_runs').values(run('succeeded', null)).execute();
  }
};

function automationFailed(
  rule: { id: string; name: string },
  stepId: string,
  type: string,
  err: unknown,
  failedRun: (reason: string) => AutomationRunsTable,
  deps: Parameters<TransitionHook>[2],
): Error {
  const inner = innermost(err);
  const reason = inner instanceof Error ? inner.message : String(inner);
  const record = failedRun(reason);
  const out =
    err instanceof AppError || inner instanceof AppError
      ? new AppError('conflict', 'automation_failed', `automation "${rule.name}" failed at step ${stepId} (${type}): ${reason}`, {
          ruleId: rule.id,
          ruleName: rule.name,
          actionId: stepId,
          actionType: type,
          reason,
          reasonCode: inner instanceof AppError ? inner.code : undefined,
          ...(inner instanceof AppError ? { reasonDetails: inner.details } : {}),
        }, { cause: err })
      : new Error(`automation "${rule.name}" crashed`, { cause: err });
  // Written after the rollback, so the failure stays visible in the run log.
  const nested = (err as { afterRollback?: () => Promise<void> } | null)?.afterRollback;
  (out as Error & { afterRollback?: () => Promise<void> }).afterRollback = async () => {
    await nested?.();
    await deps.db.kysely.insertInto('automation_runs').values(record).execute();
  };
  return out;
}

/** A failure deep in a chain is reported by its root cause, not by each rule it crossed. */
function innermost(err: unknown): unknown {
  let e = err;
  while (e instanceof AppError && e.code === 'automation_failed' && e.cause) e = e.cause;
  return e;
}
