import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';

// The invoice view's order: the task's own lines first, then consolidated lines, by position.
const VIEW_ORDER = sql`case when origin_task_id is null then 0 else 1 end, position, id`;

/** Every column of invoice_lines, in the order the INSERT … SELECTs below select them. */
const INVOICE_LINE_COLUMNS = [
  'org_id',
  'invoice_id',
  'position',
  'source_line_id',
  'group_task_id',
  'group_number',
  'group_title',
  'group_completed_at',
  'group_assignees',
  'description',
  'quantity_milli',
  'unit',
  'unit_price_cents',
  'amount_cents',
  'tax_treatment',
  'product_code',
] as const;

/**
 * Copies the billing task's lines into the invoice, numbered 1…n in the invoice view's order,
 * with their provenance, in one INSERT … SELECT: 10,000 lines never pass through JavaScript.
 */
export async function copyTaskLines(trx: Executor, orgId: string, taskId: string, invoiceId: string): Promise<void> {
  await trx
    .insertInto('invoice_lines')
    .columns(INVOICE_LINE_COLUMNS)
    .expression((eb) =>
      eb
        .selectFrom('task_lines')
        .select([
          eb.val(orgId).as('org_id'),
          eb.val(invoiceId).as('invoice_id'),
          sql<number>`row_number() over (order by ${VIEW_ORDER})`.as('position'),
          'id',
          'origin_task_id',
          'origin_task_number',
          'origin_task_title',
          'origin_completed_at',
          'origin_assignees',
          'description',
          'quantity_milli',
          'unit',
          'unit_price_cents',
          'amount_cents',
          'tax_treatment',
          'product_code',
        ])
        .where('org_id', '=', orgId)
        .where('task_id', '=', taskId),
    )
    .execute();
}

/** Copies an invoice's lines into its credit note, quantities and amounts negated, positions and provenance kept. */
export async function copyNegatedLines(trx: Executor, orgId: string, invoiceId: string, creditNoteId: string): Promise<void> {
  await trx
    .insertInto('invoice_lines')
    .columns(INVOICE_LINE_COLUMNS)
    .expression((eb) =>
      eb
        .selectFrom('invoice_lines')
        .select([
          'org_id',
          eb.val(creditNoteId).as('invoice_id'),
          'position',
          'source_line_id',
          'group_task_id',
          'group_number',
          'group_title',
          'group_completed_at',
          'group_assignees',
          'description',
          sql<number>`-quantity_milli`.as('quantity_milli'),
          'unit',
          'unit_price_cents',
          sql<number>`-amount_cents`.as('amount_cents'),
          'tax_treatment',
          'product_code',
        ])
        .where('org_id', '=', orgId)
        .where('invoice_id', '=', invoiceId),
    )
    .execute();
}

/** Copies the billing task's attachments (references to the same bytes) into the invoice's appendix. */
export async function copyTaskAttachments(trx: Executor, orgId: string, taskId: string, invoiceId: string): Promise<void> {
  await trx
    .insertInto('invoice_attachments')
    .columns([
      'org_id',
      'invoice_id',
      'position',
      'group_task_id',
      'group_number',
      'group_title',
      'group_completed_at',
      'group_assignees',
      'name',
      'media_type',
      'size',
      'kind',
      'blob_hash',
    ])
    .expression((eb) =>
      eb
        .selectFrom('attachments')
        .select([
          eb.val(orgId).as('org_id'),
          eb.val(invoiceId).as('invoice_id'),
          sql<number>`row_number() over (order by case when origin_task_id is null then 0 else 1 end, id)`.as('position'),
          'origin_task_id',
          'origin_task_number',
          'origin_task_title',
          'origin_completed_at',
          'origin_assignees',
          sql<string>`coalesce(display_name, file_name)`.as('name'),
          'media_type',
          'size',
          'kind',
          'blob_hash',
        ])
        .where('org_id', '=', orgId)
        .where('task_id', '=', taskId),
    )
    .execute();
}
