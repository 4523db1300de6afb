import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { principalOf } from '../http/auth.ts';
import { errors, IdParams, page } from '../http/schemas.ts';
import { ClientSchema, CreateClientBody, ListClientsQuery, UpdateClientBody } from './schemas.ts';
import { createClient, deleteClient, getClient, listClients, updateClient } from './service.ts';

const tags = ['clients'];

export const clientRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/clients',
      {
        schema: { tags, summary: 'List clients (admin, dispatcher)', querystring: ListClientsQuery, response: { 200: page(ClientSchema), ...errors } },
      },
      async (req) => listClients(deps, principalOf(req), req.query),
    );

    app.post(
      '/clients',
      {
        schema: { tags, summary: 'Create a client', body: CreateClientBody, response: { 201: ClientSchema, ...errors } },
      },
      async (req, reply) => reply.status(201).send(await createClient(deps, principalOf(req), req.body)),
    );

    app.get(
      '/clients/:id',
      {
        schema: { tags, summary: 'Get a client', params: IdParams, response: { 200: ClientSchema, ...errors } },
      },
      async (req) => getClient(deps, principalOf(req), req.params.id),
    );

    app.patch(
      '/clients/:id',
      {
        schema: { tags, summary: 'Edit a client', params: IdParams, body: UpdateClientBody, response: { 200: ClientSchema, ...errors } },
      },
      async (req) => updateClient(deps, principalOf(req), req.params.id, req.body),
    );

    app.delete(
      '/clients/:id',
      {
        schema: { tags, summary: 'Delete a client that has no tasks', params: IdParams, response: { 204: z.null(), ...errors } },
      },
      async (req, reply) => {
        await deleteClient(deps, principalOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
