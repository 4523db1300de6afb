import { requireRole, type Principal } from '../../accounts/principal.ts';
import type { Deps } from '../../deps.ts';
import { notFound } from '../../shared/errors.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { findRule } from '../rule-store.ts';

/** A scheduled rule's occurrences, newest first: run, running, failed, or skipped after downtime. */
export async function listOccurrences(deps: Deps, p: Principal, ruleId: string, q: { limit: number; cursor?: string }) {
  requireRole(p, 'admin', 'dispatcher');
  if (!(await findRule(deps.db.kysely, p.orgId, ruleId))) throw notFound('automation', ruleId);
  const before = decodeCursor(q.cursor, (v): v is { at: string } => typeof (v as { at?: unknown })?.at === 'string');
  let query = deps.db.kysely.selectFrom('schedule_occurrences').selectAll().where('org_id', '=', p.orgId).where('rule_id', '=', ruleId);
  if (before) query = query.where('occurrence_at', '<', before.at);
  const rows = await query.orderBy('occurrence_at', 'desc').limit(q.limit + 1).execute();
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return {
    items: page.map((r) => ({
      id: r.id,
      occurrenceAt: r.occurrence_at,
      state: r.state,
      manual: r.manual === 1,
      claimedBy: r.claimed_by,
      claimedAt: r.claimed_at,
      finishedAt: r.finished_at,
      summary: r.summary ? JSON.parse(r.summary) : null,
      error: r.error,
    })),
    nextCursor: more ? encodeCursor({ at: page[page.length - 1].occurrence_at }) : null,
  };
}
