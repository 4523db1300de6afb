import type { Executor } from '../db/index.ts';
import type { InvoiceAttachmentsTable, InvoiceLinesTable } from '../db/schema.ts';
import type { BlobStore } from '../files/blob-store.ts';
import type { DocumentAttachment, DocumentLine, DocumentSource, InvoiceDocument } from './document.ts';
import { signedQuantity } from './dto.ts';
import { buyerOf, findInvoice, sellerOf, taskRefOf, totalsOf } from './store.ts';

const PAGE = 500;

/**
 * The document of an issued invoice or credit note, read only from its frozen rows: what the PDF
 * and the emails show never depends on today's organization, client or task. Lines and
 * attachments are read in pages of 500 each time they are iterated (the renderer iterates twice).
 */
export async function loadInvoiceDocument(db: Executor, blobs: BlobStore, orgId: string, invoiceId: string): Promise<InvoiceDocument | undefined> {
  const r = await findInvoice(db, orgId, invoiceId);
  if (!r) return undefined;
  const { timeZone, ...seller } = sellerOf(r);
  const buyer = buyerOf(r);
  const task = taskRefOf(r);
  return {
    kind: r.kind,
    number: r.number,
    creditedInvoiceNumber: r.credits_invoice_number,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    paymentTermsDays: Number(r.payment_terms_days ?? 0),
    language: r.language,
    timeZone,
    currency: r.currency,
    seller,
    buyer: { name: buyer.name, address: buyer.address, emails: buyer.emails },
    task: { number: task.number, title: task.title },
    totals: totalsOf(r),
    lines: () => documentLines(db, orgId, r.id),
    attachments: () => documentAttachments(db, blobs, orgId, r.id),
  };
}

type GroupColumns = {
  group_task_id: string | null;
  group_number: string | null;
  group_title: string | null;
  group_completed_at: string | null;
  group_assignees: string | null;
};

function sourceOf(r: GroupColumns): DocumentSource | null {
  if (!r.group_task_id) return null;
  const people = r.group_assignees ? (JSON.parse(r.group_assignees) as { name: string }[]) : [];
  return {
    taskId: r.group_task_id,
    number: r.group_number ?? '',
    title: r.group_title ?? '',
    completedAt: r.group_completed_at,
    assignees: people.map((p) => p.name),
  };
}

/** A billed line as the document prints it: frozen on an invoice, or a task's line for a preview. */
export function toDocumentLine(
  x: {
    description: string;
    quantity_milli: number | string;
    unit: string | null;
    unit_price_cents: number | string;
    amount_cents: number | string;
    tax_treatment: DocumentLine['taxTreatment'];
  },
  group: DocumentSource | null,
): DocumentLine {
  return {
    group,
    description: x.description,
    quantity: signedQuantity(Number(x.quantity_milli)),
    unit: x.unit,
    unitPriceCents: Number(x.unit_price_cents),
    amountCents: Number(x.amount_cents),
    taxTreatment: x.tax_treatment,
  };
}

async function* documentLines(db: Executor, orgId: string, invoiceId: string): AsyncGenerator<DocumentLine> {
  for await (const rows of pagesByPosition(db, 'invoice_lines', orgId, invoiceId)) {
    for (const x of rows) yield toDocumentLine(x, sourceOf(x));
  }
}

async function* documentAttachments(db: Executor, blobs: BlobStore, orgId: string, invoiceId: string): AsyncGenerator<DocumentAttachment> {
  for await (const rows of pagesByPosition(db, 'invoice_attachments', orgId, invoiceId)) {
    for (const x of rows) {
      yield {
        group: sourceOf(x),
        name: x.name,
        mediaType: x.media_type,
        size: Number(x.size),
        bytes: () => readAll(blobs, x.blob_hash),
      };
    }
  }
}

/** An invoice's frozen lines or attachments in position order, one non-empty page of 500 at a time. */
function pagesByPosition(db: Executor, table: 'invoice_lines', orgId: string, invoiceId: string): AsyncGenerator<InvoiceLinesTable[]>;
function pagesByPosition(db: Executor, table: 'invoice_attachments', orgId: string, invoiceId: string): AsyncGenerator<InvoiceAttachmentsTable[]>;
async function* pagesByPosition(db: Executor, table: 'invoice_lines' | 'invoice_attachments', orgId: string, invoiceId: string) {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom(table)
      .selectAll()
      .where('org_id', '=', orgId)
      .where('invoice_id', '=', invoiceId)
      .where('position', '>', after)
      .orderBy('position')
      .limit(PAGE)
      .execute();
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE) return;
    after = Number(rows[rows.length - 1].position);
  }
}

async function readAll(blobs: BlobStore, hash: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await blobs.open(hash)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
