import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type { Executor } from '../db/index.ts';
import type { BlobStore } from '../files/blob-store.ts';
import type { AttachmentResolver } from '../mail/index.ts';
import { PermanentDeliveryError } from '../outbox/index.ts';
import type { InvoiceDocument } from './document.ts';
import { loadInvoiceDocument } from './load-document.ts';
import { loadPreviewDocument } from './preview-document.ts';
import { renderInvoicePdf } from './pdf/index.ts';

export interface InvoicePdf {
  /** `<number>.pdf`, e.g. F-2026-00001.pdf */
  filename: string;
  contentType: 'application/pdf';
  stream: Readable;
}

/**
 * The PDF of an issued invoice or credit note, streamed as it is rendered from the frozen rows;
 * undefined when the organization has no such invoice. Resolves once the first bytes (or a
 * failure such as a missing font) are known, so a caller can still answer with an error.
 */
export async function invoicePdfStream(db: Executor, blobs: BlobStore, orgId: string, invoiceId: string): Promise<InvoicePdf | undefined> {
  const doc = await loadInvoiceDocument(db, blobs, orgId, invoiceId);
  if (!doc) return undefined;
  return streamPdf(doc, `${doc.number}.pdf`);
}

/** Email attachment `{ kind: 'invoice_pdf', invoiceId }`: the issued invoice's PDF, rendered at delivery from its frozen rows. */
export const invoicePdfResolver: AttachmentResolver<{ kind: 'invoice_pdf'; invoiceId: string }> = async (ref, ctx) => {
  const pdf = await invoicePdfStream(ctx.db, ctx.deps.blobs, ctx.orgId, ref.invoiceId);
  if (!pdf) throw new PermanentDeliveryError(`invoice ${ref.invoiceId} does not exist in this organization`);
  return { filename: pdf.filename, contentType: pdf.contentType, content: pdf.stream };
};

/**
 * The invoice a billing task would issue now, in the same layout, marked as a preview
 * ("APERÇU — non émise"); throws not_found / task_not_billing / invoice_client_required.
 */
export async function invoicePreviewPdfStream(db: Executor, blobs: BlobStore, orgId: string, taskId: string, now: Date): Promise<InvoicePdf> {
  const doc = await loadPreviewDocument(db, blobs, orgId, taskId, now);
  return streamPdf(doc, `${doc.language === 'fr' ? 'apercu' : 'preview'}-${doc.task.number}.pdf`);
}

async function streamPdf(doc: InvoiceDocument, filename: string): Promise<InvoicePdf> {
  const out = new PassThrough();
  const rendering = renderInvoicePdf(doc, out, { includeAppendix: true });
  rendering.catch(() => {}); // a failure after the first bytes destroys `out`, which the reader sees
  await Promise.race([once(out, 'readable'), rendering]);
  return { filename, contentType: 'application/pdf', stream: out };
}
