import { requireRole, type Principal } from '../../accounts/principal.ts';
import type { Deps } from '../../deps.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import { defaultSchedulerId } from './due.ts';
import { claimOccurrence, findOccurrence, occurrenceToRerun, reclaimOccurrence } from './occurrence-store.ts';
import { nextOccurrence, previousOccurrence } from './occurrences.ts';
import { recordTargets } from './occurrence-targets.ts';
import { runOccurrence, type OccurrenceReport } from './run-occurrence.ts';
import { selectTargets } from './target.ts';
import { scheduledRules } from './scheduled-rules.ts';

export interface ManualRun {
  report: OccurrenceReport;
  timeZone: string;
  enabled: boolean;
  /** True when the occurrence was still to come: the scheduler will not run it again. */
  early: boolean;
}

/**
 * Runs a scheduled rule's current occurrence by hand, now (operators, the demo):
 * - the latest occurrence at or before `now`, when it is due and has not run yet;
 * - otherwise the next one, early — refused when the latest already ran, unless `early` is
 *   given, so that a month-end is not run twice by mistake. The scheduler never runs again
 *   an occurrence run by hand. A disabled rule runs too: asking by hand is explicit.
 * `rerun` resumes the occurrence left running (by a stopped server or run by hand, even one
 * run early), else the latest that ran: the tasks it chose and had not done (or that failed)
 * are run, each re-checked under its row lock; one that recorded no targets chooses afresh.
 */
export async function runScheduleNow(
  deps: Deps,
  ruleId: string,
  now: Date,
  opts: { early?: boolean; rerun?: boolean; orgId?: string } = {},
): Promise<ManualRun> {
  const [rule] = await scheduledRules(deps.db.kysely, { ruleId, orgId: opts.orgId });
  if (!rule) throw notFound('scheduled_rule', ruleId);
  const { schedule } = rule.trigger;
  const due = previousOccurrence(schedule, rule.timeZone, now);
  if (opts.rerun) {
    // The operator's call, e.g. an occurrence left running by a server that stopped mid-way.
    const at = (await occurrenceToRerun(deps.db, rule.id)) ?? due;
    const before = await findOccurrence(deps.db, rule.id, at);
    const id = await reclaimOccurrence(deps.db, { orgId: rule.orgId, ruleId: rule.id, at, by: `manual:${defaultSchedulerId()}`, now: deps.clock.now() });
    if (before && before.state !== 'running') {
      // It finished: running it anyway also takes the tasks that match its target now.
      await recordTargets(deps.db, { id, orgId: rule.orgId }, await selectTargets(deps.db.kysely, rule.orgId, rule.trigger.target, at.toISOString()));
    }
    return { report: await runOccurrence(deps, rule, { id, at, manual: true }), timeZone: rule.timeZone, enabled: rule.enabled, early: at > now };
  }
  const dueRow = await findOccurrence(deps.db, rule.id, due);
  if (dueRow?.state === 'running') {
    throw conflict(
      'occurrence_running',
      `the occurrence of ${due.toISOString()} is running now (claimed by ${dueRow.claimed_by} at ${dueRow.claimed_at}); if that process stopped, finish it with --rerun`,
    );
  }
  const dueIsNew = !dueRow && due.getTime() >= Date.parse(rule.updatedAt);
  const at = dueIsNew ? due : nextOccurrence(schedule, rule.timeZone, now);
  if (!dueIsNew && dueRow && !opts.early) {
    throw conflict(
      'occurrence_already_ran',
      `the occurrence of ${due.toISOString()} already ran (${dueRow.state}); to run it anyway, pass --rerun (it runs the tasks it had not done, or fresh targets); to run the next one (${at.toISOString()}) now, pass --early — the scheduler will then not run it again`,
    );
  }
  const id = await claimOccurrence(deps.db, {
    orgId: rule.orgId,
    ruleId: rule.id,
    at,
    by: `manual:${defaultSchedulerId()}`,
    now: deps.clock.now(),
    manual: true,
  });
  if (!id) {
    const row = await findOccurrence(deps.db, rule.id, at);
    throw conflict(
      'occurrence_already_ran',
      `the occurrence of ${at.toISOString()} already ran (${row?.state ?? 'claimed'}${row?.manual ? ', by hand' : ''}); to run it anyway, pass --rerun`,
    );
  }
  const report = await runOccurrence(deps, rule, { id, at, manual: true });
  return { report, timeZone: rule.timeZone, enabled: rule.enabled, early: at > now };
}

/**
 * `POST /automations/{id}/run`: what `chantier run-schedule` does, asked from the app by an
 * admin of the rule's organization (another organization's rule is not found).
 */
export async function runRuleNow(deps: Deps, p: Principal, ruleId: string, opts: { early?: boolean; rerun?: boolean }): Promise<ManualRun> {
  requireRole(p, 'admin');
  if (opts.early && opts.rerun) throw invalid('run_mode_conflict', 'early and rerun do not go together', { field: 'rerun' });
  return runScheduleNow(deps, ruleId, deps.clock.now(), { ...opts, orgId: p.orgId });
}
