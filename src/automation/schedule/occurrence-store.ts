import type { Db } from '../../db/index.ts';
import type { ScheduleOccurrencesTable } from '../../db/schema.ts';
import { newId } from '../../shared/ids.ts';

export interface OccurrenceSummary {
  selected: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

/** The latest occurrence recorded for the rule (run, running or skipped), if any. */
export async function lastRecorded(db: Db, ruleId: string): Promise<string | undefined> {
  const r = await db.kysely
    .selectFrom('schedule_occurrences')
    .select((eb) => eb.fn.max('occurrence_at').as('at'))
    .where('rule_id', '=', ruleId)
    .executeTakeFirst();
  return r?.at ?? undefined;
}

/**
 * The occurrence `--rerun` takes: the latest one left running (a server or a run by hand stopped
 * mid-way — it may be an occurrence run early, after the due one), else the latest that ran.
 */
export async function occurrenceToRerun(db: Db, ruleId: string): Promise<Date | undefined> {
  const latest = (states: ('running' | 'done' | 'failed')[]) =>
    db.kysely
      .selectFrom('schedule_occurrences')
      .select('occurrence_at')
      .where('rule_id', '=', ruleId)
      .where('state', 'in', states)
      .orderBy('occurrence_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  const row = (await latest(['running'])) ?? (await latest(['done', 'failed']));
  return row ? new Date(row.occurrence_at) : undefined;
}

export const findOccurrence = (db: Db, ruleId: string, at: Date) =>
  db.kysely.selectFrom('schedule_occurrences').selectAll().where('rule_id', '=', ruleId).where('occurrence_at', '=', at.toISOString()).executeTakeFirst();

const row = (orgId: string, ruleId: string, at: Date): Pick<ScheduleOccurrencesTable, 'id' | 'org_id' | 'rule_id' | 'occurrence_at'> => ({
  id: newId(),
  org_id: orgId,
  rule_id: ruleId,
  occurrence_at: at.toISOString(),
});

/** Records occurrences that were missed (the server was down) and will never run. */
export async function recordSkipped(db: Db, orgId: string, ruleId: string, missed: Date[], now: Date): Promise<void> {
  for (let i = 0; i < missed.length; i += 100) {
    const values = missed.slice(i, i + 100).map((at) => ({ ...row(orgId, ruleId, at), state: 'skipped' as const, manual: 0, finished_at: now.toISOString() }));
    await db.kysely
      .insertInto('schedule_occurrences')
      .values(values)
      .onConflict((oc) => oc.columns(['rule_id', 'occurrence_at']).doNothing())
      .execute();
  }
}

/**
 * Claims an occurrence: the unique (rule_id, occurrence_at) insert succeeds for one process
 * only, whatever the number of servers. Returns the row id, or null when another has it.
 */
export async function claimOccurrence(db: Db, o: { orgId: string; ruleId: string; at: Date; by: string; now: Date; manual: boolean }): Promise<string | null> {
  const inserted = await db.kysely
    .insertInto('schedule_occurrences')
    .values({ ...row(o.orgId, o.ruleId, o.at), state: 'running', manual: o.manual ? 1 : 0, claimed_by: o.by, claimed_at: o.now.toISOString() })
    .onConflict((oc) => oc.columns(['rule_id', 'occurrence_at']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

export async function finishOccurrence(db: Db, id: string, now: Date, result: { summary: OccurrenceSummary } | { error: string }): Promise<void> {
  await db.kysely
    .updateTable('schedule_occurrences')
    .set({
      state: 'summary' in result ? 'done' : 'failed',
      finished_at: now.toISOString(),
      summary: 'summary' in result ? JSON.stringify(result.summary) : null,
      error: 'error' in result ? result.error.slice(0, 2000) : null,
    })
    .where('id', '=', id)
    .execute();
}

/** Takes an occurrence again, whatever its state (an operator's rerun): it becomes running, by hand. */
export async function reclaimOccurrence(db: Db, o: { orgId: string; ruleId: string; at: Date; by: string; now: Date }): Promise<string> {
  const claimed = await claimOccurrence(db, { ...o, manual: true });
  if (claimed) return claimed;
  const row = await db.kysely
    .updateTable('schedule_occurrences')
    .set({ state: 'running', manual: 1, claimed_by: o.by, claimed_at: o.now.toISOString(), finished_at: null, summary: null, error: null })
    .where('rule_id', '=', o.ruleId)
    .where('occurrence_at', '=', o.at.toISOString())
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
