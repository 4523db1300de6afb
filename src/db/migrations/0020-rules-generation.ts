import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The generation of an organization's rules: an `org_counters` row named 'rules_generation' that
 * every insert, update or delete of one of its `automation_rules` rows raises, in the same
 * transaction, by trigger (so no path that writes rules can forget it: the API, the default rules
 * of a new organization, the resealing of webhook secrets). A process that keeps parsed rules
 * keys them by it (automation/prefetched-rules.ts): the lock at the start of a transition reads the
 * generation and builds the rules' JSON only when it is not the one the process holds (issue 10).
 * No row yet reads as generation 0: rules that were never written since this migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function chantier_rules_generation_bump() returns trigger language plpgsql as $$
      begin
        insert into org_counters (org_id, name, value)
          values (case when tg_op = 'DELETE' then old.org_id else new.org_id end, 'rules_generation', 1)
          on conflict (org_id, name) do update set value = org_counters.value + 1;
        -- A rule moved to another organization (never done) would change both.
        if tg_op = 'UPDATE' and old.org_id is distinct from new.org_id then
          insert into org_counters (org_id, name, value) values (old.org_id, 'rules_generation', 1)
            on conflict (org_id, name) do update set value = org_counters.value + 1;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger automation_rules_generation after insert or update or delete on automation_rules
      for each row execute function chantier_rules_generation_bump()`.execute(db);
    return;
  }
  const bump = (org: string) =>
    sql.raw(`insert into org_counters (org_id, name, value) values (${org}, 'rules_generation', 1)
      on conflict (org_id, name) do update set value = value + 1;`);
  await sql`create trigger automation_rules_generation_insert after insert on automation_rules
    begin ${bump('new.org_id')} end`.execute(db);
  await sql`create trigger automation_rules_generation_update after update on automation_rules
    begin ${bump('new.org_id')} ${bump('old.org_id')} end`.execute(db);
  await sql`create trigger automation_rules_generation_delete after delete on automation_rules
    begin ${bump('old.org_id')} end`.execute(db);
}
