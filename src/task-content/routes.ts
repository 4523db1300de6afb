import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { acceptNdjson, BULK_BODY_LIMIT, limitItems, NDJSON } from '../http/bulk-body.ts';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { principalOf } from '../http/auth.ts';
import { errors, IdParams, page, PageQuery } from '../http/schemas.ts';
import { receiveFile, storingUpload } from '../files/multipart-upload.ts';
import { attachFile, getAttachment, listAttachments, openAttachment, removeAttachment } from './attachments.ts';
import { contentDisposition } from './file-name.ts';
import { removeLine, updateLine } from './line-edits.ts';
import { addLine, addLines, listLines } from './lines.ts';
import { addNote, listNotes } from './notes.ts';
import {
  AddLineBody,
  AddLinesBody,
  AddNoteBody,
  MAX_BULK_LINES,
  AttachmentSchema,
  FileContent,
  LineParams,
  LineSchema,
  NoteSchema,
  UpdateLineBody,
  UploadBody,
} from './schemas.ts';

const Paging = z.strictObject(PageQuery);
const tooLarge = { 413: errors[400] };

/** Invoice lines, notes and attachments of a task. */
export const taskContentRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['task content'];

    app.get(
      '/tasks/:id/lines',
      {
        schema: {
          tags,
          summary: "A task's invoice lines, in position order",
          params: IdParams,
          querystring: Paging,
          response: { 200: page(LineSchema), ...errors },
        },
      },
      async (req) => listLines(deps, principalOf(req), req.params.id, req.query.limit, req.query.cursor),
    );

    app.post(
      '/tasks/:id/lines',
      {
        schema: {
          tags,
          summary: 'Add an invoice line (409 task_closed once the task is done or cancelled)',
          params: IdParams,
          body: AddLineBody,
          response: { 201: LineSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await addLine(deps, principalOf(req), req.params.id, req.body)),
    );

    await app.register(async (scope) => {
      const bulk = scope.withTypeProvider<ZodTypeProvider>();
      acceptNdjson(bulk);
      bulk.post(
        '/tasks/:id/lines/bulk',
        {
          bodyLimit: BULK_BODY_LIMIT,
          preValidation: limitItems(MAX_BULK_LINES),
          schema: {
            tags,
            summary: 'Add many invoice lines at the end, in one transaction (409 task_closed as for one); an invalid line refuses all, naming it',
            consumes: ['application/json', NDJSON],
            params: IdParams,
            body: AddLinesBody,
            response: { 201: z.object({ count: z.number().int(), items: z.array(LineSchema) }), ...errors, ...tooLarge },
          },
        },
        async (req, reply) => {
          const items = await addLines(deps, principalOf(req), req.params.id, req.body);
          return reply.status(201).send({ count: items.length, items });
        },
      );
    });

    app.patch(
      '/tasks/:id/lines/:lineId',
      {
        schema: { tags, summary: 'Edit an invoice line of an open task', params: LineParams, body: UpdateLineBody, response: { 200: LineSchema, ...errors } },
      },
      async (req) => updateLine(deps, principalOf(req), req.params.id, req.params.lineId, req.body),
    );

    app.delete(
      '/tasks/:id/lines/:lineId',
      {
        schema: { tags, summary: 'Delete an invoice line of an open task', params: LineParams, response: { 204: z.null(), ...errors } },
      },
      async (req, reply) => {
        await removeLine(deps, principalOf(req), req.params.id, req.params.lineId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/tasks/:id/notes',
      {
        schema: { tags, summary: "A task's notes, oldest first", params: IdParams, querystring: Paging, response: { 200: page(NoteSchema), ...errors } },
      },
      async (req) => listNotes(deps, principalOf(req), req.params.id, req.query.limit, req.query.cursor),
    );

    app.post(
      '/tasks/:id/notes',
      {
        schema: {
          tags,
          summary: 'Add a note (notes are append-only: never edited or deleted)',
          params: IdParams,
          body: AddNoteBody,
          response: { 201: NoteSchema, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await addNote(deps, principalOf(req), req.params.id, req.body.body)),
    );

    app.post(
      '/tasks/:id/attachments',
      {
        schema: {
          tags,
          summary: 'Upload a file or photo (multipart/form-data, one file; the media type is read from the bytes)',
          consumes: ['multipart/form-data'],
          params: IdParams,
          body: UploadBody,
          response: { 201: AttachmentSchema, ...errors, ...tooLarge },
        },
      },
      async (req, reply) => {
        const file = await receiveFile(req);
        const dto = await storingUpload(file, () => attachFile(deps, principalOf(req), req.params.id, file));
        return reply.status(201).send(dto);
      },
    );

    app.get(
      '/tasks/:id/attachments',
      {
        schema: {
          tags,
          summary: "A task's attachments, oldest first, or grouped by the sub-task they came from (groupBy=source)",
          params: IdParams,
          querystring: z.strictObject({ ...PageQuery, groupBy: z.enum(['source']).optional() }),
          response: { 200: page(AttachmentSchema), ...errors },
        },
      },
      async (req) => listAttachments(deps, principalOf(req), req.params.id, req.query.limit, req.query.cursor, req.query.groupBy === 'source'),
    );

    app.get(
      '/attachments/:id',
      {
        schema: { tags, summary: "An attachment's metadata", params: IdParams, response: { 200: AttachmentSchema, ...errors } },
      },
      async (req) => getAttachment(deps, principalOf(req), req.params.id),
    );

    app.get(
      '/attachments/:id/content',
      {
        schema: {
          tags,
          summary: 'Download the bytes (images and PDFs inline, anything else as a download)',
          params: IdParams,
          response: { 200: FileContent, ...errors },
        },
      },
      async (req, reply) => {
        const { attachment: a, downloadName, stream } = await openAttachment(deps, principalOf(req), req.params.id);
        return reply
          .header('content-type', a.media_type === 'text/plain' ? 'text/plain; charset=utf-8' : a.media_type)
          .header('content-length', a.size)
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', contentDisposition(downloadName, a.media_type))
          .header('cache-control', 'private, no-cache')
          .send(stream);
      },
    );

    app.delete(
      '/attachments/:id',
      {
        schema: { tags, summary: 'Detach a file from its task', params: IdParams, response: { 204: z.null(), ...errors } },
      },
      async (req, reply) => {
        await removeAttachment(deps, principalOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
