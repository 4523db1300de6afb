import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.ts';
import { principalOf } from '../http/auth.ts';
import { errors } from '../http/schemas.ts';
import { OrganizationSettingsSchema, UpdateOrganizationBody } from './schemas.ts';
import { getOrganization, updateOrganization } from './service.ts';

const tags = ['organization'];

export const organizationRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/organization',
      {
        schema: {
          tags,
          summary: "The caller's organization: seller details, invoice numbering, payment terms",
          response: { 200: OrganizationSettingsSchema, ...errors },
        },
      },
      async (req) => getOrganization(deps, principalOf(req)),
    );

    app.patch(
      '/organization',
      {
        schema: {
          tags,
          summary: 'Edit the organization (admin); issued invoices keep what they were issued with',
          body: UpdateOrganizationBody,
          response: { 200: OrganizationSettingsSchema, ...errors },
        },
      },
      async (req) => updateOrganization(deps, principalOf(req), req.body),
    );
  };
