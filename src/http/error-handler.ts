import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { conflictFromDatabase } from '../db/errors.ts';
import { AppError } from '../shared/errors.ts';
import type { PageFallback } from './web-app.ts';
import { storageFailure } from './storage-errors.ts';

/** Maps every error to the one body shape `{ error: { type, code, message, details } }`. */
export function installErrorHandler(app: FastifyInstance, opts: { page?: PageFallback } = {}): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const known = toAppError(err);
    if (known) {
      // A 429 says when to come back (RFC 9110 Retry-After), from the error's own details.
      const retryAfter = (known.details as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (known.status === 429 && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      return reply.status(known.status).send(known.toBody());
    }
    // A write that lost a race at the database (unique constraint, deadlock): 409, never 500.
    const lost = conflictFromDatabase(err);
    if (lost) {
      request.log.info({ code: lost.code, cause: (err as Error).message }, 'write lost a race at the database');
      return reply.status(lost.status).send(lost.toBody());
    }
    const storage = storageFailure(err);
    if (storage) {
      // The real cause, for the operator (not a rollback's or a wrapper's message).
      request.log.error({ err, code: storage.code }, `storage failure: ${err.message}`);
      if (storage.status === 503) reply.header('retry-after', '5');
      return reply.status(storage.status).send(storage.toBody());
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({
      error: { type: 'internal', code: 'internal_error', message: 'something went wrong on our side', details: {} },
    });
  });
  app.setNotFoundHandler((request, reply) => {
    if (opts.page?.(request, reply)) return;
    reply.status(404).send(new AppError('not_found', 'route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`).toBody());
  });
}

function toAppError(err: FastifyError): AppError | undefined {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'body';
    const fields = err.validation.flatMap((v) => {
      // The zod type provider puts the code in `keyword` and its other members in `params`.
      const code = v.keyword || 'invalid';
      const base = [where, ...v.instancePath.split('/').filter(Boolean)].join('.');
      const keys = (v.params as { keys?: unknown }).keys;
      // An unknown key is reported on its parent; name each key itself.
      if (code === 'unrecognized_keys' && Array.isArray(keys) && keys.length) {
        return keys.map((k) => ({ path: `${base}.${String(k)}`, message: 'unknown field', code }));
      }
      return [{ path: base, message: v.message ?? 'invalid', code }];
    });
    const list = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
    return new AppError('invalid', 'validation_failed', `the request is not valid — ${list}`, { fields });
  }
  if (isResponseSerializationError(err)) return undefined;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid', 'malformed_json', 'the request body is not valid JSON', {}, { cause: err });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'body_too_large', 'the request body is too large', {}, { cause: err });
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('payload_too_large', 'file_too_large', 'the file is larger than the upload limit', {}, { cause: err });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('invalid', 'unsupported_media_type', 'send application/json (or multipart/form-data for uploads)');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('invalid', 'multipart_expected', 'upload files as multipart/form-data');
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('invalid', 'bad_request', err.message, {}, { cause: err });
  }
  return undefined;
}
