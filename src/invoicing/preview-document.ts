import type { Selectable } from 'kysely';
import type { AttachmentsTable, TaskLinesTable } from '../db/schema.ts';
import type { Executor } from '../db/index.ts';
import type { BlobStore } from '../files/blob-store.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { findTaskType } from '../task-types/index.ts';
import { findTaskRow } from '../tasks/store.ts';
import type { DocumentAttachment, DocumentLine, DocumentSource, InvoiceDocument } from './document.ts';
import { lineSums } from '../task-content/line-store.ts';
import { toDocumentLine } from './load-document.ts';
import { lineRowsAfter } from '../task-content/index.ts';
import { addDaysToDate, localDate } from '../shared/calendar.ts';
import { partiesOf } from './issue/snapshot.ts';
import { TotalsAccumulator } from '../billing-math/index.ts';

const PAGE = 500;

type OriginColumns = {
  origin_task_id: string | null;
  origin_task_number: string | null;
  origin_task_title: string | null;
  origin_completed_at: string | null;
  origin_assignees: string | null;
};

/**
 * What the invoice of a billing task would be if it were issued now: today's parties, the task's
 * current lines and attachments in the order an issued invoice freezes them, marked as a preview
 * (no number is taken, nothing is written). Read outside any transaction: a preview, not a promise.
 */
export async function loadPreviewDocument(db: Executor, blobs: BlobStore, orgId: string, taskId: string, now: Date): Promise<InvoiceDocument> {
  const task = await findTaskRow(db, orgId, taskId);
  if (!task) throw notFound('task', taskId);
  const type = await findTaskType(db, orgId, task.type_id);
  if (!type?.billing) throw conflict('task_not_billing', 'only a billing task (such as an Invoice task) has an invoice to preview', { taskId });
  if (!task.client_id) throw conflict('invoice_client_required', 'the invoice goes to the task’s client: give the task a client first', { taskId });

  const parties = await partiesOf(db, orgId, task.client_id);
  const issueDate = localDate(now, parties.timeZone);
  const sums = await lineSums(db, orgId, taskId);
  const totals = new TotalsAccumulator().addSubtotals(sums.taxable, sums.exempt).finish(parties.buyer.taxRegion, issueDate);
  const { timeZone, ...seller } = parties.seller;
  return {
    kind: 'invoice',
    preview: true,
    number: '',
    creditedInvoiceNumber: null,
    issueDate,
    dueDate: addDaysToDate(issueDate, parties.paymentTermsDays),
    paymentTermsDays: parties.paymentTermsDays,
    language: parties.language,
    timeZone,
    currency: parties.currency,
    seller,
    buyer: { name: parties.buyer.name, address: parties.buyer.address, emails: parties.buyer.emails },
    task: { number: `${type.prefix}-${task.number}`, title: task.title },
    totals,
    lines: () => taskLines(db, orgId, taskId),
    attachments: () => taskAttachments(db, blobs, orgId, taskId),
  };
}

function sourceOf(r: OriginColumns): DocumentSource | null {
  if (!r.origin_task_id) return null;
  const people = r.origin_assignees ? (JSON.parse(r.origin_assignees) as { name: string }[]) : [];
  return {
    taskId: r.origin_task_id,
    number: r.origin_task_number ?? '',
    title: r.origin_task_title ?? '',
    completedAt: r.origin_completed_at,
    assignees: people.map((p) => p.name),
  };
}

/**
 * The rows `page` reads, in the order issueInvoice freezes (invoicing/issue/copy-content.ts
 * VIEW_ORDER): the task's own (no origin) first, then the consolidated ones, by position for lines
 * and by id for attachments; each part a page at a time after the last row read (keyset: each page
 * costs what the first does; an OFFSET made SQLite and PostgreSQL sort every row of the task
 * again for every page).
 */
async function* ownThenConsolidated<R>(page: (own: boolean, after: R | undefined) => Promise<R[]>): AsyncGenerator<R> {
  for (const own of [true, false]) {
    let after: R | undefined;
    for (;;) {
      const rows = await page(own, after);
      yield* rows;
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1];
    }
  }
}

async function* taskLines(db: Executor, orgId: string, taskId: string): AsyncGenerator<DocumentLine> {
  const rows = ownThenConsolidated<Selectable<TaskLinesTable>>((own, after) =>
    lineRowsAfter(db, orgId, taskId, after && { pos: after.position }, PAGE, own ? 'own' : 'consolidated'),
  );
  for await (const x of rows) yield toDocumentLine(x, sourceOf(x));
}

async function* taskAttachments(db: Executor, blobs: BlobStore, orgId: string, taskId: string): AsyncGenerator<DocumentAttachment> {
  const rows = ownThenConsolidated<Selectable<AttachmentsTable>>((own, after) => {
    let q = db
      .selectFrom('attachments')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('task_id', '=', taskId)
      .where('origin_task_id', own ? 'is' : 'is not', null);
    if (after) q = q.where('id', '>', after.id);
    return q.orderBy('id').limit(PAGE).execute();
  });
  for await (const x of rows) {
    yield {
      group: sourceOf(x),
      name: x.display_name ?? x.file_name,
      mediaType: x.media_type,
      size: Number(x.size),
      bytes: async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of await blobs.open(x.blob_hash)) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      },
    };
  }
}
