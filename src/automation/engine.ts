import type { TransitionStep } from '../tasks/index.ts';
import { executeRule } from './execute.ts';
import { conditionsHold, triggerMatches } from './matching.ts';
import { enabledRules } from './rule-store.ts';

/**
 * The automation engine, a step of every transition (src/transition/transition.ts): every enabled rule whose trigger and conditions
 * match runs its actions in order, inside the transition's transaction. A failing action
 * refuses the whole transition (409 automation_failed naming the rule); the failed run is
 * logged after the rollback. Returns how many rules ran. (Scheduled rules run from schedule/, through the same executeRule.)
 */
export const runAutomations: TransitionStep<number> = async (trx, event, deps) => {
  const rules = await enabledRules(trx, event.task.org_id);
  let ran = 0;
  for (const rule of rules) {
    if (!triggerMatches(rule, event) || !(await conditionsHold(trx, rule, event))) continue;
    await executeRule({ trx, deps, event, rule }, { from: event.from, to: event.to, depth: event.depth });
    ran += 1;
  }
  // How many rules ran: with none, the transition knows nothing else touched the task (its answer needs no re-read).
  return ran;
};
