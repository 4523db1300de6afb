import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { principalOf } from '../http/auth.ts';
import { errors, IdParams } from '../http/schemas.ts';
import { CreateTaskTypeBody, TaskTypeSchema, UpdateTaskTypeBody } from './schemas.ts';
import { createTaskType, deleteTaskType, getTaskType, listTypes, updateTaskType } from './service.ts';
import { toTaskTypeDto } from './store.ts';

const tags = ['task types'];

export const taskTypeRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/task-types',
      {
        schema: { tags, summary: 'List task types and their workflows', response: { 200: z.object({ items: z.array(TaskTypeSchema) }), ...errors } },
      },
      async (req) => ({ items: (await listTypes(deps, principalOf(req))).map(toTaskTypeDto) }),
    );

    app.get(
      '/task-types/:id',
      {
        schema: { tags, summary: 'Get a task type', params: IdParams, response: { 200: TaskTypeSchema, ...errors } },
      },
      async (req) => toTaskTypeDto(await getTaskType(deps, principalOf(req), req.params.id)),
    );

    app.post(
      '/task-types',
      {
        schema: { tags, summary: 'Create a task type (admin)', body: CreateTaskTypeBody, response: { 201: TaskTypeSchema, ...errors } },
      },
      async (req, reply) => reply.status(201).send(toTaskTypeDto(await createTaskType(deps, principalOf(req), req.body))),
    );

    app.patch(
      '/task-types/:id',
      {
        schema: {
          tags,
          summary: 'Edit a task type or its workflow (admin)',
          params: IdParams,
          body: UpdateTaskTypeBody,
          response: { 200: TaskTypeSchema, ...errors },
        },
      },
      async (req) => toTaskTypeDto(await updateTaskType(deps, principalOf(req), req.params.id, req.body)),
    );

    app.delete(
      '/task-types/:id',
      {
        schema: { tags, summary: 'Delete an unused task type (admin)', params: IdParams, response: { 204: z.null(), ...errors } },
      },
      async (req, reply) => {
        await deleteTaskType(deps, principalOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
