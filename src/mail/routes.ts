import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.ts';
import { principalOf } from '../http/auth.ts';
import { errors, IdParams, page } from '../http/schemas.ts';
import { getEmail, listEmails, retryEmail } from './emails.ts';
import { EmailDetailSchema, EmailSchema, ListEmailsQuery } from './schemas.ts';

/** The email outbox: what was sent, what is waiting, what failed and why. */
export const emailRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['emails'];

    app.get(
      '/emails',
      {
        schema: { tags, summary: 'Emails, newest first (admin, dispatcher)', querystring: ListEmailsQuery, response: { 200: page(EmailSchema), ...errors } },
      },
      async (req) => listEmails(deps, principalOf(req), req.query),
    );

    app.get(
      '/emails/:id',
      {
        schema: { tags, summary: 'One email, with its text', params: IdParams, response: { 200: EmailDetailSchema, ...errors } },
      },
      async (req) => getEmail(deps, principalOf(req), req.params.id),
    );

    app.post(
      '/emails/:id/retry',
      {
        schema: {
          tags,
          summary: 'Queue a failed email again, attempts reset (409 email_not_failed otherwise)',
          params: IdParams,
          response: { 200: EmailSchema, ...errors },
        },
      },
      async (req) => retryEmail(deps, principalOf(req), req.params.id),
    );
  };
