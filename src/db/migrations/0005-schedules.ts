import { sql, type Kysely } from 'kysely';

/**
 * Scheduled automation rules.
 * - `automation_rules.trigger_type` lets the scheduler find scheduled rules without reading
 *   every rule's JSON ('status_entered' for the rules that exist already);
 * - `schedule_occurrences`: one row per occurrence of a scheduled rule. UNIQUE (rule_id,
 *   occurrence_at) is the claim: whichever process inserts the row runs the occurrence, so it
 *   runs at most once however many servers share the database.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('automation_rules')
    .addColumn('trigger_type', 'text', (c) => c.notNull().defaultTo('status_entered'))
    .execute();
  await db.schema.createIndex('automation_rules_trigger_type_idx').on('automation_rules').columns(['trigger_type', 'enabled']).execute();

  await db.schema
    .createTable('schedule_occurrences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull()) // no foreign key: occurrences outlive a deleted rule, like its runs
    .addColumn('occurrence_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('running', 'done', 'failed', 'skipped')`))
    .addColumn('manual', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('summary', 'text') // JSON {selected, succeeded, failed, skipped}
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('schedule_occurrences_rule_at_uq').on('schedule_occurrences').columns(['rule_id', 'occurrence_at']).unique().execute();
  await db.schema.createIndex('schedule_occurrences_org_idx').on('schedule_occurrences').columns(['org_id', 'rule_id', 'occurrence_at']).execute();
}
