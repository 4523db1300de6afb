import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { findTaskType, listTaskTypes, statusOf } from '../task-types/index.ts';
import { lockTask } from '../tasks/index.ts';
import { isClosedCategory } from './targets.ts';

/**
 * Completes the target once none of its sub-tasks is open or active. The check reads the
 * (org, parent, status) index for open statuses only, so it stays cheap with 100,000 sub-tasks.
 * The completion is a transition and fires its own rules (depth + 1).
 */
export async function completeTargetIfDone(trx: Executor, deps: Deps, orgId: string, targetId: string, depth: number): Promise<string | false> {
  const target = await lockTask(trx, deps, orgId, targetId);
  if (!target) return false;
  const types = await listTaskTypes(trx, target.org_id);
  const openPairs = new Set(types.flatMap((t) => t.workflow.statuses.filter((s) => !isClosedCategory(s.category)).map((s) => `${t.id}\u0000${s.key}`)));
  const openKeys = [...new Set(types.flatMap((t) => t.workflow.statuses.filter((s) => !isClosedCategory(s.category)).map((s) => s.key)))];
  if (openKeys.length) {
    const candidates = await trx
      .selectFrom('tasks')
      .select(['type_id', 'status'])
      .where('org_id', '=', target.org_id)
      .where('parent_id', '=', target.id)
      .where('status', 'in', openKeys)
      .limit(100)
      .execute();
    // A full page of near-misses (a key open in one type, closed in another) counts as open.
    if (candidates.length === 100 || candidates.some((c) => openPairs.has(`${c.type_id}\u0000${c.status}`))) return false;
  }
  const type = (await findTaskType(trx, target.org_id, target.type_id))!;
  if (isClosedCategory(statusOf(type.workflow, target.status)?.category)) return false;
  const to = type.workflow.transitions.find((t) => t.from === target.status && statusOf(type.workflow, t.to)?.category === 'done')?.to;
  if (!to) return false;
  await deps.applyTransition(trx, deps, target, to, null, depth + 1);
  return to;
}
