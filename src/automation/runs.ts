import type { z } from 'zod';
import { requireRole, type Principal } from '../accounts/principal.ts';
import type { AutomationRunsTable } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { isIdCursor, pageOf } from '../shared/paging.ts';
import type { ListRunsQuery } from './schemas.ts';

/** The log of rule firings, newest first. */
export async function listRuns(deps: Deps, p: Principal, q: z.output<typeof ListRunsQuery>) {
  requireRole(p, 'admin', 'dispatcher');
  const before = decodeCursor(q.cursor, isIdCursor);
  let query = deps.db.kysely.selectFrom('automation_runs').selectAll().where('org_id', '=', p.orgId);
  if (q.ruleId) query = query.where('rule_id', '=', q.ruleId);
  if (q.taskId) query = query.where('task_id', '=', q.taskId);
  if (before) query = query.where('id', '<', before.id);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return pageOf(rows, q.limit, toRunDto, (r) => ({ id: r.id }));
}

const toRunDto = (r: AutomationRunsTable) => ({
  id: r.id,
  ruleId: r.rule_id,
  ruleName: r.rule_name,
  taskId: r.task_id,
  trigger: JSON.parse(r.trigger),
  outcome: r.outcome,
  actions: JSON.parse(r.actions),
  error: r.error,
  durationMs: Number(r.duration_ms),
  at: r.at,
});
