import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { principalOf } from '../http/auth.ts';
import { errors, IdParams, page, PageQuery } from '../http/schemas.ts';
import { acceptNdjson, BULK_BODY_LIMIT, limitItems, NDJSON, tooLarge } from '../http/bulk-body.ts';
import { createTasks } from './bulk-create.ts';
import { createTask } from './create.ts';
import { CSV_COLUMNS, importWorkBreakdown } from './csv-import.ts';
import { getTask, listTasks, taskHistory } from './list.ts';
import {
  BulkCreatedSchema,
  BulkTasksBody,
  CreateTaskBody,
  HistoryEntrySchema,
  MAX_BULK_LINES,
  MAX_BULK_TASKS,
  ListTasksQuery,
  TaskSchema,
  UpdateTaskBody,
} from './schemas.ts';
import { updateTask } from './update.ts';

const tags = ['tasks'];

export const taskRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/tasks',
      {
        schema: { tags, summary: 'List tasks (technicians: only theirs)', querystring: ListTasksQuery, response: { 200: page(TaskSchema), ...errors } },
      },
      async (req) => listTasks(deps, principalOf(req), req.query),
    );

    app.post(
      '/tasks',
      {
        schema: { tags, summary: 'Create a task or a sub-task (admin, dispatcher)', body: CreateTaskBody, response: { 201: TaskSchema, ...errors } },
      },
      async (req, reply) => reply.status(201).send(await createTask(deps, principalOf(req), req.body)),
    );

    // Bulk entry, in its own scope: only these routes take NDJSON, CSV and large bodies.
    await app.register(async (scope) => {
      const bulk = scope.withTypeProvider<ZodTypeProvider>();
      acceptNdjson(bulk);
      bulk.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: BULK_BODY_LIMIT }, (_req, body, done) => done(null, String(body)));

      bulk.post(
        '/tasks/bulk',
        {
          bodyLimit: BULK_BODY_LIMIT,
          preValidation: limitItems(MAX_BULK_TASKS, MAX_BULK_LINES),
          schema: {
            tags,
            summary: `Create many tasks with their lines in one transaction (admin, dispatcher); an invalid item refuses all, naming it (details.index, details.field)`,
            consumes: ['application/json', NDJSON],
            body: BulkTasksBody,
            response: { 201: BulkCreatedSchema, ...errors, ...tooLarge },
          },
        },
        async (req, reply) => reply.status(201).send(await createTasks(deps, principalOf(req), req.body)),
      );

      bulk.post(
        '/tasks/:id/import',
        {
          bodyLimit: BULK_BODY_LIMIT,
          schema: {
            tags,
            summary:
              'Import a CSV work breakdown into a main task: its sub-tasks with their lines, in one transaction (admin, dispatcher); errors name the CSV line',
            description: `One row per invoice line, after a header row; separator ";" or ",", UTF-8 (a BOM is fine). Columns: ${Object.entries(CSV_COLUMNS)
              .map(([k, v]) => `${k} — ${v}`)
              .join('; ')}.`,
            consumes: ['text/csv'],
            params: IdParams,
            body: z.string().nullish().meta({ description: 'The CSV text' }),
            response: { 201: BulkCreatedSchema, ...errors, ...tooLarge },
          },
        },
        async (req, reply) => reply.status(201).send(await importWorkBreakdown(deps, principalOf(req), req.params.id, req.body ?? '')),
      );
    });

    app.get(
      '/tasks/:id',
      {
        schema: { tags, summary: 'Get a task', params: IdParams, response: { 200: TaskSchema, ...errors } },
      },
      async (req) => getTask(deps, principalOf(req), req.params.id),
    );

    app.patch(
      '/tasks/:id',
      {
        schema: { tags, summary: 'Edit a task', params: IdParams, body: UpdateTaskBody, response: { 200: TaskSchema, ...errors } },
      },
      async (req) => updateTask(deps, principalOf(req), req.params.id, req.body),
    );

    app.get(
      '/tasks/:id/history',
      {
        schema: {
          tags,
          summary: "The task's status changes, oldest first",
          params: IdParams,
          querystring: z.strictObject(PageQuery),
          response: { 200: page(HistoryEntrySchema), ...errors },
        },
      },
      async (req) => taskHistory(deps, principalOf(req), req.params.id, req.query.limit, req.query.cursor),
    );
  };
