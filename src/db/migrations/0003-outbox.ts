import { sql, type Kysely } from 'kysely';

/**
 * The transactional outbox: outside effects (emails, webhooks) written as rows in the same
 * transaction as the change that causes them, and delivered after commit by a worker.
 * - `message_id` is fixed at enqueue (unique), so a re-delivery carries the same Message-ID;
 * - claiming reads the two partial indexes: due pending rows, and expired leases.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // 'email' | 'webhook'
    .addColumn('task_id', 'text') // the task it is about, when there is one (for filtering)
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // 'pending' | 'sending' | 'sent' | 'failed'
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(8))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_message_id_uq').on('outbox').column('message_id').unique().execute();
  await db.schema.createIndex('outbox_due_idx').on('outbox').column('next_attempt_at').where(sql.ref('state'), '=', 'pending').execute();
  await db.schema.createIndex('outbox_lease_idx').on('outbox').column('locked_until').where(sql.ref('state'), '=', 'sending').execute();
  await db.schema.createIndex('outbox_org_idx').on('outbox').columns(['org_id', 'kind', 'id']).execute();
  await db.schema.createIndex('outbox_task_idx').on('outbox').columns(['org_id', 'task_id', 'id']).execute();
}
