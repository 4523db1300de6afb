import { runTransaction } from '../../db/transaction.ts';
import type { Deps } from '../../deps.ts';
import { announcingAfterCommit } from '../../shared/after-commit.ts';
import { findTaskType } from '../../task-types/index.ts';
import { statusOf } from '../../task-types/workflow.ts';
import { lockTask, type TransitionEvent } from '../../tasks/index.ts';
import { executeRule, type StepLog } from '../execute.ts';
import { conditionsHold } from '../matching.ts';
import type { Rule } from '../types.ts';
import { newId } from '../../shared/ids.ts';
import { collectEffects, type TaskEffects } from './effects.ts';
import { finishOccurrence, type OccurrenceSummary } from './occurrence-store.ts';
import { markTarget, recordTargets, unfinishedTargets } from './occurrence-targets.ts';
import { selectTargets, type TargetTask } from './target.ts';

export type ScheduledRule = Rule & { trigger: Extract<Rule['trigger'], { type: 'schedule' }> };

export interface TaskResult extends TargetTask {
  outcome: 'succeeded' | 'failed' | 'skipped';
  steps?: StepLog[];
  effects?: TaskEffects;
  error?: string;
}

export interface OccurrenceReport extends OccurrenceSummary {
  occurrenceId: string;
  ruleId: string;
  ruleName: string;
  orgId: string;
  occurrenceAt: string;
  manual: boolean;
  /** Resuming an interrupted run: how many of its targets were done before (not run again). */
  alreadyDone: number;
  tasks: TaskResult[];
}

/**
 * Runs a claimed occurrence: selects the target tasks once (and records them), then runs the
 * rule's actions for each in its own transaction, which also records that task as done — one
 * failing task is rolled back and logged (run log, failed), and the others go on. The
 * transitions the actions cause fire the other rules as usual. An occurrence that already
 * recorded its targets (interrupted, now resumed) runs only those not done yet.
 */
export async function runOccurrence(deps: Deps, rule: ScheduledRule, occurrence: { id: string; at: Date; manual: boolean }): Promise<OccurrenceReport> {
  const occurrenceAt = occurrence.at.toISOString();
  const report: OccurrenceReport = {
    occurrenceId: occurrence.id,
    ruleId: rule.id,
    ruleName: rule.name,
    orgId: rule.orgId,
    occurrenceAt,
    manual: occurrence.manual,
    alreadyDone: 0,
    selected: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    tasks: [],
  };
  try {
    // Selected once, up front: tasks the run itself creates or fills wait for the next occurrence.
    const recorded = await unfinishedTargets(deps.db, occurrence.id);
    let targets = recorded.left;
    if (recorded.recorded === 0) {
      targets = await selectTargets(deps.db.kysely, rule.orgId, rule.trigger.target, occurrenceAt);
      await recordTargets(deps.db, { id: occurrence.id, orgId: rule.orgId }, targets);
    }
    report.alreadyDone = recorded.recorded - recorded.left.length;
    report.selected = targets.length;
    for (const target of targets) {
      const result = await runForTask(deps, rule, target, occurrence);
      report[result.outcome] += 1;
      report.tasks.push(result);
    }
  } catch (err) {
    deps.log.error({ err, ruleId: rule.id, occurrenceAt }, 'scheduled rule failed');
    await finishOccurrence(deps.db, occurrence.id, deps.clock.now(), { error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
  const { selected, succeeded, failed, skipped } = report;
  await finishOccurrence(deps.db, occurrence.id, deps.clock.now(), { summary: { selected, succeeded, failed, skipped } });
  deps.log.info(
    {
      event: 'occurrence_ran',
      orgId: rule.orgId,
      ruleId: rule.id,
      occurrenceId: occurrence.id,
      occurrenceAt,
      manual: occurrence.manual,
      selected,
      succeeded,
      failed,
      skipped,
    },
    `scheduled rule "${rule.name}" ran for ${occurrenceAt}: ${succeeded} succeeded, ${failed} failed, ${skipped} skipped`,
  );
  return report;
}

async function runForTask(deps: Deps, rule: ScheduledRule, target: TargetTask, occurrence: { id: string; at: Date; manual: boolean }): Promise<TaskResult> {
  const occurrenceAt = occurrence.at.toISOString();
  try {
    const done = await announcingAfterCommit(() =>
      runTransaction(deps, async (trx) => {
        const skip = async () => {
          await markTarget(trx, occurrence.id, target.id, 'skipped');
          return null;
        };
        const task = await lockTask(trx, deps, rule.orgId, target.id);
        // Changed since the selection (closed by hand, emptied): no longer a target.
        if (!task || (await selectTargets(trx, rule.orgId, rule.trigger.target, occurrenceAt, task.id)).length === 0) return skip();
        const type = await findTaskType(trx, rule.orgId, task.type_id);
        const category = (type && statusOf(type.workflow, task.status)?.category) ?? 'open';
        const event: TransitionEvent = {
          task,
          from: task.status,
          to: task.status,
          fromCategory: category,
          toCategory: category,
          actor: null,
          depth: 0,
          moment: occurrenceAt,
        };
        if (!(await conditionsHold(trx, rule, event))) return skip();
        const since = newId();
        const { steps } = await executeRule(
          { trx, deps, event, rule, schedule: { occurrenceAt, manual: occurrence.manual } },
          { depth: 0, occurrenceAt, manual: occurrence.manual },
        );
        const effects = await collectEffects(trx, rule.orgId, target.id, since);
        await markTarget(trx, occurrence.id, target.id, 'succeeded');
        return { steps, effects };
      }),
    );
    return done ? { ...target, outcome: 'succeeded', ...done } : { ...target, outcome: 'skipped' };
  } catch (err) {
    await markTarget(deps.db.kysely, occurrence.id, target.id, 'failed').catch((markErr: unknown) =>
      deps.log.error({ err: markErr }, 'could not record a failed scheduled task'),
    );
    deps.log.warn({ err, ruleId: rule.id, taskId: target.id, occurrenceAt }, 'scheduled rule failed for a task; going on with the others');
    return { ...target, outcome: 'failed', error: err instanceof Error ? err.message : String(err) };
  }
}
