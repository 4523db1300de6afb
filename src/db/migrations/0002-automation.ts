import { sql, type Kysely } from 'kysely';

/**
 * Automation rules, their history and runs; consolidation with provenance.
 * "Exactly once" is held by unique indexes, not by application checks alone:
 * - a source task has at most one live consolidation (consolidations_source_live_uq);
 * - a line, attachment or note is copied into a target at most once (*_source_uq).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('automation_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('key', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('automation_rules_org_idx').on('automation_rules').columns(['org_id', 'enabled', 'position']).execute();

  await db.schema
    .createTable('automation_rule_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('automation_rule_history_idx').on('automation_rule_history').columns(['org_id', 'rule_id', 'id']).execute();

  await db.schema
    .createTable('automation_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'real', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('automation_runs_rule_idx').on('automation_runs').columns(['org_id', 'rule_id', 'id']).execute();
  await db.schema.createIndex('automation_runs_task_idx').on('automation_runs').columns(['org_id', 'task_id', 'id']).execute();

  await db.schema
    .createTable('consolidations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('source_task_id', 'text', (c) => c.notNull().references('tasks.id'))
    .addColumn('target_task_id', 'text', (c) => c.references('tasks.id'))
    .addColumn('client_id', 'text')
    .addColumn('rule_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull()) // 'active' | 'pending' | 'retracted'
    .addColumn('reparented', 'integer', (c) => c.notNull())
    .addColumn('previous_parent_id', 'text')
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retracted_at', 'text')
    .execute();
  await db.schema
    .createIndex('consolidations_source_live_uq')
    .on('consolidations')
    .column('source_task_id')
    .unique()
    .where(sql.ref('state'), '!=', 'retracted')
    .execute();
  await db.schema.createIndex('consolidations_target_idx').on('consolidations').columns(['org_id', 'target_task_id']).execute();
  await db.schema.createIndex('consolidations_pending_idx').on('consolidations').columns(['org_id', 'client_id', 'state']).execute();

  for (const table of ['task_lines', 'attachments', 'notes']) {
    await db.schema.alterTable(table).addColumn('consolidation_id', 'text').execute();
    await db.schema.alterTable(table).addColumn('source_id', 'text').execute();
    await db.schema.alterTable(table).addColumn('origin_id', 'text').execute();
    await db.schema.alterTable(table).addColumn('origin_task_id', 'text').execute();
    await db.schema.alterTable(table).addColumn('origin_task_number', 'text').execute();
    await db.schema.alterTable(table).addColumn('origin_task_title', 'text').execute();
    await db.schema.alterTable(table).addColumn('origin_completed_at', 'text').execute();
    await db.schema.alterTable(table).addColumn('origin_assignees', 'text').execute();
    await db.schema.createIndex(`${table}_source_uq`).on(table).column('source_id').unique().execute();
    await db.schema.createIndex(`${table}_consolidation_idx`).on(table).columns(['org_id', 'consolidation_id']).execute();
  }
  await db.schema.alterTable('attachments').addColumn('display_name', 'text').execute();
  // The invoice view reads own lines, then each origin's lines, in position order.
  await db.schema.createIndex('task_lines_origin_idx').on('task_lines').columns(['org_id', 'task_id', 'origin_task_id', 'position']).execute();
  await db.schema.createIndex('tasks_parent_status_idx').on('tasks').columns(['org_id', 'parent_id', 'status']).execute();
}
