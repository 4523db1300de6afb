import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Issued invoices and credit notes: frozen snapshots of a billing task at issue.
 * - numbers are unique per organization (invoices_org_number_uq);
 * - a task has at most one live invoice: kind 'invoice' and not credited (invoices_task_live_uq);
 * - issued rows never change: triggers refuse any update of invoice_lines and invoice_attachments,
 *   any delete, and any update of an invoice other than its payment and credited marks.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organizations')
    .addColumn('invoice_number_pattern', 'text', (c) => c.notNull().defaultTo('F-{yyyy}-{seq:5}'))
    .execute();
  await db.schema
    .alterTable('organizations')
    .addColumn('default_payment_terms_days', 'integer', (c) => c.notNull().defaultTo(30))
    .execute();
  await db.schema.alterTable('clients').addColumn('payment_terms_days', 'integer').execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('invoice', 'credit_note')`))
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('credits_invoice_id', 'text', (c) => c.references('invoices.id'))
    .addColumn('credits_invoice_number', 'text')
    .addColumn('credit_note_id', 'text')
    .addColumn('credited_at', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('seller', 'text', (c) => c.notNull())
    .addColumn('buyer', 'text', (c) => c.notNull())
    .addColumn('task_ref', 'text', (c) => c.notNull())
    .addColumn('tax_region', 'text', (c) => c.notNull())
    .addColumn('tax_date', 'text', (c) => c.notNull())
    .addColumn('totals', 'text', (c) => c.notNull())
    .addColumn('subtotal_cents', 'bigint', (c) => c.notNull())
    .addColumn('tax_cents', 'bigint', (c) => c.notNull())
    .addColumn('total_cents', 'bigint', (c) => c.notNull())
    .addColumn('line_count', 'integer', (c) => c.notNull())
    .addColumn('issue_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('payment_terms_days', 'integer')
    .addColumn('payment_status', 'text')
    .addColumn('paid_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'invoices_payment_status_ck',
      sql`(kind = 'invoice' and payment_status in ('unpaid', 'paid')) or (kind = 'credit_note' and payment_status is null)`,
    )
    .addUniqueConstraint('invoices_org_number_uq', ['org_id', 'number'])
    .execute();
  await sql`create unique index invoices_task_live_uq on invoices (task_id) where kind = 'invoice' and credit_note_id is null`.execute(db);
  await db.schema.createIndex('invoices_org_id_idx').on('invoices').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('invoices_client_idx').on('invoices').columns(['org_id', 'client_id', 'id']).execute();
  await db.schema.createIndex('invoices_issue_date_idx').on('invoices').columns(['org_id', 'issue_date', 'id']).execute();
  await db.schema.createIndex('invoices_task_idx').on('invoices').columns(['org_id', 'task_id']).execute();

  await db.schema
    .createTable('invoice_lines')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('source_line_id', 'text')
    .addColumn('group_task_id', 'text')
    .addColumn('group_number', 'text')
    .addColumn('group_title', 'text')
    .addColumn('group_completed_at', 'text')
    .addColumn('group_assignees', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('quantity_milli', 'bigint', (c) => c.notNull())
    .addColumn('unit', 'text')
    .addColumn('unit_price_cents', 'bigint', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('tax_treatment', 'text', (c) => c.notNull())
    .addColumn('product_code', 'text')
    .addPrimaryKeyConstraint('invoice_lines_pk', ['invoice_id', 'position'])
    .execute();

  await db.schema
    .createTable('invoice_attachments')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('group_task_id', 'text')
    .addColumn('group_number', 'text')
    .addColumn('group_title', 'text')
    .addColumn('group_completed_at', 'text')
    .addColumn('group_assignees', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('blob_hash', 'text', (c) => c.notNull().references('blobs.hash'))
    .addPrimaryKeyConstraint('invoice_attachments_pk', ['invoice_id', 'position'])
    .execute();

  await freezeIssuedRows(db);
}

/** Every column but the few that may change after issue: payment_status, paid_at, credit_note_id, credited_at, updated_at. */
const FROZEN = [
  'id',
  'org_id',
  'number',
  'kind',
  'task_id',
  'client_id',
  'credits_invoice_id',
  'credits_invoice_number',
  'language',
  'currency',
  'seller',
  'buyer',
  'task_ref',
  'tax_region',
  'tax_date',
  'totals',
  'subtotal_cents',
  'tax_cents',
  'total_cents',
  'line_count',
  'issue_date',
  'due_date',
  'payment_terms_days',
  'created_by',
  'created_at',
];

async function freezeIssuedRows(db: Kysely<any>): Promise<void> {
  const frozenCols = sql.raw(FROZEN.join(', '));
  // The migrator hands us the store's own Kysely; its adapter names the dialect.
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function invoice_frozen() returns trigger language plpgsql as $$
      begin raise exception 'issued invoices are frozen (% on %)', tg_op, tg_table_name using errcode = 'P0001'; end $$`.execute(db);
    await sql`create trigger invoices_frozen before update of ${frozenCols} or delete on invoices for each row execute function invoice_frozen()`.execute(db);
    for (const table of ['invoice_lines', 'invoice_attachments']) {
      await sql`create trigger ${sql.raw(`${table}_frozen`)} before update or delete on ${sql.raw(table)} for each row execute function invoice_frozen()`.execute(
        db,
      );
    }
    return;
  }
  const abort = (what: string) => sql.raw(`begin select raise(abort, 'issued invoices are frozen (${what})'); end`);
  await sql`create trigger invoices_frozen before update of ${frozenCols} on invoices ${abort('update on invoices')}`.execute(db);
  await sql`create trigger invoices_no_delete before delete on invoices ${abort('delete on invoices')}`.execute(db);
  for (const table of ['invoice_lines', 'invoice_attachments']) {
    for (const op of ['update', 'delete']) {
      await sql`create trigger ${sql.raw(`${table}_no_${op}`)} before ${sql.raw(op)} on ${sql.raw(table)} ${abort(`${op} on ${table}`)}`.execute(db);
    }
  }
}
