import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { principalOf } from '../http/auth.ts';
import { errors, IdParams, page } from '../http/schemas.ts';
import { creditInvoice } from './credit-invoice.ts';
import { toInvoiceDto } from './dto.ts';
import { markPayment } from './mark-payment.ts';
import { getInvoice, listInvoiceLines, listInvoices } from './read-invoices.ts';
import { InvoiceDetailSchema, InvoiceSchema, LinesPageSchema, LinesQuery, ListInvoicesQuery, PaymentBody } from './schemas.ts';

const tags = ['invoices'];

/** Issued invoices and credit notes (admin, dispatcher). Issued documents are never edited or deleted. */
export const invoiceRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/invoices',
      {
        schema: {
          tags,
          summary: 'Issued invoices and credit notes, newest first',
          querystring: ListInvoicesQuery,
          response: { 200: page(InvoiceSchema), ...errors },
        },
      },
      async (req) => listInvoices(deps, principalOf(req), req.query),
    );

    app.get(
      '/invoices/:id',
      {
        schema: {
          tags,
          summary: 'An issued invoice: header, totals and its first 100 lines',
          params: IdParams,
          response: { 200: InvoiceDetailSchema, ...errors },
        },
      },
      async (req) => getInvoice(deps, principalOf(req), req.params.id),
    );

    app.get(
      '/invoices/:id/lines',
      {
        schema: {
          tags,
          summary: "An issued invoice's frozen lines, in order",
          params: IdParams,
          querystring: LinesQuery,
          response: { 200: LinesPageSchema, ...errors },
        },
      },
      async (req) => listInvoiceLines(deps, principalOf(req), req.params.id, req.query.limit, req.query.cursor),
    );

    app.post(
      '/invoices/:id/payment',
      {
        schema: {
          tags,
          summary: 'Mark an invoice paid (when) or unpaid; its task moves to "paid" or back in the same transaction',
          params: IdParams,
          body: PaymentBody,
          response: { 200: InvoiceSchema, ...errors },
        },
      },
      async (req) => toInvoiceDto(await markPayment(deps, principalOf(req), req.params.id, req.body)),
    );

    app.post(
      '/invoices/:id/credit-note',
      {
        schema: {
          tags,
          summary: 'Cancel an invoice with a full credit note; its consolidated content becomes unbilled again',
          params: IdParams,
          response: { 201: InvoiceSchema.extend({ taskStatus: z.string(), released: z.number().int() }), ...errors },
        },
      },
      async (req, reply) => {
        const r = await creditInvoice(deps, principalOf(req), req.params.id);
        return reply.status(201).send({ ...toInvoiceDto(r.creditNote), taskStatus: r.taskStatus, released: r.released });
      },
    );
  };
