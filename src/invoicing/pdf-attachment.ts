import type { AttachmentResolver } from '../mail/attachments.ts';
import { PermanentDeliveryError } from '../outbox/index.ts';
import { invoicePdfStream } from './invoice-pdf.ts';

/** Email attachment `{ kind: 'invoice_pdf', invoiceId }`: the issued invoice's PDF, rendered at delivery from its frozen rows. */
export const invoicePdfResolver: AttachmentResolver<{ kind: 'invoice_pdf'; invoiceId: string }> = async (ref, ctx) => {
  const pdf = await invoicePdfStream(ctx.db, ctx.deps.blobs, ctx.orgId, ref.invoiceId);
  if (!pdf) throw new PermanentDeliveryError(`invoice ${ref.invoiceId} does not exist in this organization`);
  return { filename: pdf.filename, contentType: pdf.contentType, content: pdf.stream };
};
