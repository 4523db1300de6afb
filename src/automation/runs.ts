import type { z } from 'zod';
import { requireRole, type Principal } from '../accounts/principal.ts';
import type { Deps } from '../deps.ts';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';
import type { ListRunsQuery } from './schemas.ts';

/** The log of rule firings, newest first. */
export async function listRuns(deps: Deps, p: Principal, q: z.output<typeof ListRunsQuery>) {
  requireRole(p, 'admin', 'dispatcher');
  const before = decodeCursor(q.cursor, (v): v is { id: string } => typeof (v as { id?: unknown })?.id === 'string');
  let query = deps.db.kysely.selectFrom('automation_runs').selectAll().where('org_id', '=', p.orgId);
  if (q.ruleId) query = query.where('rule_id', '=', q.ruleId);
  if (q.taskId) query = query.where('task_id', '=', q.taskId);
  if (before) query = query.where('id', '<', before.id);
  const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return {
    items: page.map((r) => ({
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
    })),
    nextCursor: more ? encodeCursor({ id: page[page.length - 1].id }) : null,
  };
}
