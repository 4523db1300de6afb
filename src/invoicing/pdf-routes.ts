import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../accounts/principal.ts';
import type { Deps } from '../deps.ts';
import { principalOf } from '../http/auth.ts';
import { errors, IdParams } from '../http/schemas.ts';
import { notFound } from '../shared/errors.ts';
import { invoicePdfStream, invoicePreviewPdfStream, type InvoicePdf } from './invoice-pdf.ts';

const PdfContent = {
  description: 'The invoice as PDF, downloaded as <number>.pdf',
  content: { 'application/pdf': { schema: z.any().meta({ type: 'string', format: 'binary' }) } },
};

const PdfQuery = z.strictObject({
  disposition: z.enum(['attachment', 'inline']).default('attachment').describe('inline: shown in the browser (the web app embeds it)'),
});

function sendPdf(reply: FastifyReply, pdf: InvoicePdf, disposition: 'attachment' | 'inline') {
  return reply
    .header('content-type', pdf.contentType)
    .header('content-disposition', contentDisposition(pdf.filename, { type: disposition }))
    .header('cache-control', 'private, no-cache')
    .send(pdf.stream);
}

/** The PDF of an issued invoice or credit note (admin, dispatcher), rendered from its frozen rows. */
export const invoicePdfRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/invoices/:id/pdf',
      {
        schema: {
          tags: ['invoices'],
          summary: 'The invoice or credit note as PDF',
          params: IdParams,
          querystring: PdfQuery,
          response: { 200: PdfContent, ...errors },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin', 'dispatcher');
        const pdf = await invoicePdfStream(deps.db.kysely, deps.blobs, p.orgId, req.params.id);
        if (!pdf) throw notFound('invoice', req.params.id);
        return sendPdf(reply, pdf, req.query.disposition);
      },
    );

    app.get(
      '/tasks/:id/invoice-preview.pdf',
      {
        schema: {
          tags: ['invoices'],
          summary: "What a billing task's invoice will look like if issued now: the same PDF, marked as a preview, no number taken",
          params: IdParams,
          querystring: PdfQuery,
          response: { 200: PdfContent, ...errors },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'admin', 'dispatcher');
        const pdf = await invoicePreviewPdfStream(deps.db.kysely, deps.blobs, p.orgId, req.params.id, deps.clock.now());
        return sendPdf(reply, pdf, req.query.disposition);
      },
    );
  };
