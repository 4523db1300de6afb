import { requireRole, type Principal } from '../../accounts/principal.ts';
import type { ScheduleOccurrencesTable } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { notFound } from '../../shared/errors.ts';
import { decodeCursor } from '../../shared/cursor.ts';
import { isCursorOf, pageOf } from '../../shared/paging.ts';
import { findRule } from '../rule-store.ts';
import { nextOccurrence } from './occurrences.ts';
import { scheduledRules } from './scheduled-rules.ts';

/** A scheduled rule's occurrences, newest first: run, running, failed, or skipped after downtime. */
export async function listOccurrences(deps: Deps, p: Principal, ruleId: string, q: { limit: number; cursor?: string }) {
  requireRole(p, 'admin', 'dispatcher');
  if (!(await findRule(deps.db.kysely, p.orgId, ruleId))) throw notFound('automation', ruleId);
  const before = decodeCursor(q.cursor, isCursorOf('at'));
  let query = deps.db.kysely.selectFrom('schedule_occurrences').selectAll().where('org_id', '=', p.orgId).where('rule_id', '=', ruleId);
  if (before) query = query.where('occurrence_at', '<', before.at);
  const rows = await query
    .orderBy('occurrence_at', 'desc')
    .limit(q.limit + 1)
    .execute();
  return pageOf(rows, q.limit, toOccurrenceDto, (r) => ({ at: r.occurrence_at }));
}

const toOccurrenceDto = (r: ScheduleOccurrencesTable) => ({
  id: r.id,
  occurrenceAt: r.occurrence_at,
  state: r.state,
  manual: r.manual === 1,
  claimedBy: r.claimed_by,
  claimedAt: r.claimed_at,
  finishedAt: r.finished_at,
  summary: r.summary ? JSON.parse(r.summary) : null,
  error: r.error,
});

/** A scheduled rule's next occurrences after `now` (what the rule's page shows coming). */
export async function upcomingOccurrences(deps: Deps, p: Principal, ruleId: string, count: number): Promise<{ timeZone: string; items: string[] }> {
  requireRole(p, 'admin', 'dispatcher');
  const [rule] = await scheduledRules(deps.db.kysely, { ruleId, orgId: p.orgId });
  if (!rule) throw notFound('scheduled_rule', ruleId);
  const items: string[] = [];
  let after = deps.clock.now();
  for (let i = 0; i < count; i++) {
    after = nextOccurrence(rule.trigger.schedule, rule.timeZone, after);
    items.push(after.toISOString());
  }
  return { timeZone: rule.timeZone, items };
}
