import type { TransitionStep } from '../tasks/index.ts';
import { executeRule } from './execute.ts';
import { conditionsHold, triggerMatches } from './matching.ts';
import { enabledRules } from './rule-store.ts';

/**
 * The automation engine, a step of every transition (src/transition/transition.ts): every enabled rule whose trigger and conditions
 * match runs its actions in order, inside the transition's transaction. A failing action
 * refuses the whole transition (409 automation_failed naming the rule); the failed run is
 * logged after the rollback. Returns whether the rules that ran all left the task as they found
 * it (ActionOutcome.taskAsIs): then the transition answers without reading the task again.
 * (Scheduled rules run from schedule/, through the same executeRule.)
 */
export const runAutomations: TransitionStep<boolean> = async (trx, event, deps) => {
  const rules = await enabledRules(trx, event.task.org_id);
  let taskAsIs = true;
  for (const rule of rules) {
    if (!triggerMatches(rule, event) || !(await conditionsHold(trx, rule, event))) continue;
    const run = await executeRule({ trx, deps, event, rule }, { from: event.from, to: event.to, depth: event.depth });
    if (!run.taskAsIs) taskAsIs = false;
  }
  return taskAsIs;
};
