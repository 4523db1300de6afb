import { hostname } from 'node:os';
import type { Deps } from '../../deps.ts';
import { claimOccurrence, lastRecorded, recordSkipped } from './occurrence-store.ts';
import { occurrencesBetween, previousOccurrence } from './occurrences.ts';
import { runOccurrence, type OccurrenceReport } from './run-occurrence.ts';
import { scheduledRules, type ScheduledRuleIn } from './scheduled-rules.ts';

/** Missed occurrences beyond this many are not even recorded as skipped. */
export const MAX_SKIPPED_RECORDED = 1000;

export const defaultSchedulerId = () => `${hostname()}:${process.pid}`;

/**
 * Runs every scheduled rule's due occurrence, once. An occurrence is due when it is at or
 * before `now`, not before the rule's last change (enabling a rule never replays the past),
 * and not recorded yet. After downtime only the LATEST missed occurrence runs; the older
 * missed ones are recorded as 'skipped'. Several processes may call this at once: the unique
 * claim lets one of them run each occurrence.
 */
export async function runDueSchedules(deps: Deps, now: Date, opts: { schedulerId?: string } = {}): Promise<OccurrenceReport[]> {
  const by = opts.schedulerId ?? defaultSchedulerId();
  const reports: OccurrenceReport[] = [];
  for (const rule of await scheduledRules(deps.db.kysely)) {
    try {
      const report = await runIfDue(deps, rule, now, by);
      if (report) reports.push(report);
    } catch (err) {
      deps.log.error({ err, ruleId: rule.id }, 'scheduled rule could not run');
    }
  }
  return reports;
}

async function runIfDue(deps: Deps, rule: ScheduledRuleIn, now: Date, by: string): Promise<OccurrenceReport | null> {
  const { schedule } = rule.trigger;
  const recorded = await lastRecorded(deps.db, rule.id);
  // Occurrences strictly after `after` count: from the rule's last change on, past the last recorded.
  const after = Math.max(Date.parse(rule.updatedAt) - 1, recorded ? Date.parse(recorded) : -Infinity);
  const latest = previousOccurrence(schedule, rule.timeZone, now);
  if (latest.getTime() <= after) return null;
  const missed = occurrencesBetween(schedule, rule.timeZone, new Date(after), new Date(latest.getTime() - 1), MAX_SKIPPED_RECORDED);
  if (missed.length) {
    await recordSkipped(deps.db, rule.orgId, rule.id, missed, deps.clock.now());
    deps.log.warn(
      { ruleId: rule.id, skipped: missed.length, running: latest.toISOString() },
      'missed occurrences of a scheduled rule were skipped; running the latest',
    );
  }
  const id = await claimOccurrence(deps.db, { orgId: rule.orgId, ruleId: rule.id, at: latest, by, now: deps.clock.now(), manual: false });
  if (!id) return null; // another process has it
  return runOccurrence(deps, rule, { id, at: latest, manual: false });
}
