import { performance } from 'node:perf_hooks';
import { staticQuery, type Executor } from '../db/index.ts';
import type { AutomationRunsTable } from '../db/schema.ts';
import { afterRollback } from '../db/transaction.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { actionsByType } from './actions/index.ts';
import type { ActionContext } from './types.ts';

export type StepLog = { id: string; type: string; outcome: string; detail?: Record<string, unknown> };

/** What a run log says fired the rule: a transition (from, to) or a scheduled occurrence. */
export type RunTrigger = { depth: number; from?: string; to?: string; occurrenceAt?: string; manual?: boolean };

/** What one rule's run did: its steps as logged, and whether every step left the triggering task as it was (ActionOutcome.taskAsIs). */
export interface RuleRun {
  steps: StepLog[];
  taskAsIs: boolean;
}

/**
 * Runs one rule's actions, in order, for the task of `ctx.event`, and logs the run. MUST run
 * inside the transaction the actions belong to. A failing action throws 409 automation_failed
 * naming the rule, and registers the failed run to be written once the transaction is undone
 * (afterRollback: the caller's runTransaction writes it).
 */
export async function executeRule(ctx: ActionContext, trigger: RunTrigger): Promise<RuleRun> {
  const { trx, deps, event, rule } = ctx;
  const started = performance.now();
  const steps: StepLog[] = [];
  let taskAsIs = true;
  const run = (outcome: 'succeeded' | 'failed', error: string | null): AutomationRunsTable => ({
    id: newId(),
    org_id: rule.orgId,
    rule_id: rule.id,
    rule_name: rule.name,
    task_id: event.task.id,
    trigger: JSON.stringify(trigger),
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
      const result = await def.run({ ...ctx, stepId }, params);
      if (result.outcome !== 'skipped' && !result.taskAsIs) taskAsIs = false;
      steps.push({ id: stepId, type: spec.type, outcome: result.outcome, ...(result.detail ? { detail: result.detail } : {}) });
    } catch (err) {
      steps.push({ id: stepId, type: spec.type, outcome: 'failed' });
      throw automationFailed(rule, stepId, spec.type, err, (reason) => run('failed', reason), deps);
    }
  }
  await insertRun(trx, run('succeeded', null));
  return { steps, taskAsIs };
}

// Once per rule that fires: built once (see staticQuery), and sent with the COMMIT (withCommit):
// nothing reads it in the transaction, and on PostgreSQL it costs no round trip of its own.
const insertRunQuery = staticQuery(
  (
    db,
    id: string,
    orgId: string,
    ruleId: string,
    ruleName: string,
    taskId: string,
    trigger: string,
    outcome: AutomationRunsTable['outcome'],
    actions: string,
    error: string | null,
    durationMs: number,
    at: string,
  ) =>
    db
      .insertInto('automation_runs')
      .values({ id, org_id: orgId, rule_id: ruleId, rule_name: ruleName, task_id: taskId, trigger, outcome, actions, error, duration_ms: durationMs, at }),
  { withCommit: true },
);
const insertRun = (trx: Executor, r: AutomationRunsTable) =>
  insertRunQuery(trx, r.id, r.org_id, r.rule_id, r.rule_name, r.task_id, r.trigger, r.outcome, r.actions, r.error, r.duration_ms, r.at);

function automationFailed(
  rule: { id: string; name: string },
  stepId: string,
  type: string,
  err: unknown,
  failedRun: (reason: string) => AutomationRunsTable,
  deps: Deps,
): Error {
  const inner = innermost(err);
  const reason = inner instanceof Error ? inner.message : String(inner);
  const record = failedRun(reason);
  const out =
    err instanceof AppError || inner instanceof AppError
      ? new AppError(
          'conflict',
          'automation_failed',
          `automation "${rule.name}" failed at step ${stepId} (${type}): ${reason}`,
          {
            ruleId: rule.id,
            ruleName: rule.name,
            actionId: stepId,
            actionType: type,
            reason,
            reasonCode: inner instanceof AppError ? inner.code : undefined,
            ...(inner instanceof AppError ? { reasonDetails: inner.details } : {}),
          },
          { cause: err },
        )
      : new Error(`automation "${rule.name}" crashed`, { cause: err });
  // Written after the rollback (by runTransaction), so the failure stays visible in the run log.
  afterRollback(async () => {
    await deps.db.kysely.insertInto('automation_runs').values(record).execute();
    deps.log.warn(
      { event: 'rule_failed', orgId: record.org_id, ruleId: rule.id, taskId: record.task_id, runId: record.id, actionId: stepId, actionType: type, reason },
      `automation rule "${rule.name}" failed at step ${stepId} (${type}): ${reason}`,
    );
  });
  return out;
}

/** A failure deep in a chain is reported by its root cause, not by each rule it crossed. */
function innermost(err: unknown): unknown {
  let e = err;
  while (e instanceof AppError && e.code === 'automation_failed' && e.cause) e = e.cause;
  return e;
}
