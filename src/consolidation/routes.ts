import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { principalOf } from '../http/auth.ts';
import { errors, IdParams, PageQuery } from '../http/schemas.ts';
import { invoiceView } from './invoice-view.ts';
import { InvoiceQuery, InvoiceViewSchema, UnbilledSchema } from './schemas.ts';
import { unbilledForClient } from './unbilled.ts';

export const consolidationRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/tasks/:id/invoice',
      {
        schema: {
          tags: ['consolidation'],
          summary: "The task's invoice: own and consolidated lines grouped by source task, subtotal, taxes, total",
          params: IdParams,
          querystring: InvoiceQuery,
          response: { 200: InvoiceViewSchema, ...errors },
        },
      },
      async (req) => invoiceView(deps, principalOf(req), req.params.id, req.query.limit, req.query.cursor),
    );

    app.get(
      '/clients/:id/unbilled',
      {
        schema: {
          tags: ['consolidation'],
          summary: "Completed work waiting for the client's next invoice task",
          params: IdParams,
          querystring: z.strictObject(PageQuery),
          response: { 200: UnbilledSchema, ...errors },
        },
      },
      async (req) => unbilledForClient(deps, principalOf(req), req.params.id, req.query.limit, req.query.cursor),
    );
  };
