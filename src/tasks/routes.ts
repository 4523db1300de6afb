import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { principalOf } from '../http/auth.ts';
import { errors, IdParams, page, PageQuery } from '../http/schemas.ts';
import { createTask } from './create.ts';
import { getTask, listTasks, taskHistory } from './list.ts';
import { CreateTaskBody, HistoryEntrySchema, ListTasksQuery, TaskSchema, UpdateTaskBody } from './schemas.ts';
import { updateTask } from './update.ts';

const tags = ['tasks'];

export const taskRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/tasks', {
      schema: { tags, summary: 'List tasks (technicians: only theirs)', querystring: ListTasksQuery, response: { 200: page(TaskSchema), ...errors } },
    }, async (req) => listTasks(deps, principalOf(req), req.query));

    app.post('/tasks', {
      schema: { tags, summary: 'Create a task or a sub-task (admin, dispatcher)', body: CreateTaskBody, response: { 201: TaskSchema, ...errors } },
    }, async (req, reply) => reply.status(201).send(await createTask(deps, principalOf(req), req.body)));

    app.get('/tasks/:id', {
      schema: { tags, summary: 'Get a task', params: IdParams, response: { 200: TaskSchema, ...errors } },
    }, async (req) => getTask(deps, principalOf(req), req.params.id));

    app.patch('/tasks/:id', {
      schema: { tags, summary: 'Edit a task', params: IdParams, body: UpdateTaskBody, response: { 200: TaskSchema, ...errors } },
    }, async (req) => updateTask(deps, principalOf(req), req.params.id, req.body));

    app.get('/tasks/:id/history', {
      schema: {
        tags,
        summary: "The task's status changes, oldest first",
        params: IdParams,
        querystring: z.strictObject(PageQuery),
        response: { 200: page(HistoryEntrySchema), ...errors },
      },
    }, async (req) => taskHistory(deps, principalOf(req), req.params.id, req.query.limit, req.query.cursor));
  };
