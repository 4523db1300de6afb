import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type { Executor } from '../db/index.ts';
import type { BlobStore } from '../files/blob-store.ts';
import { loadInvoiceDocument } from './load-document.ts';
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
  const out = new PassThrough();
  const rendering = renderInvoicePdf(doc, out, { includeAppendix: true });
  rendering.catch(() => {}); // a failure after the first bytes destroys `out`, which the reader sees
  await Promise.race([once(out, 'readable'), rendering]);
  return { filename: `${doc.number}.pdf`, contentType: 'application/pdf', stream: out };
}
