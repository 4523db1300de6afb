import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { errors } from './schemas.ts';

/** The body limit of the bulk routes only (every other route keeps 1 MiB): 20,000 tasks with their lines fit. */
export const BULK_BODY_LIMIT = 64 * 1024 * 1024;

/** For the OpenAPI document: a bulk route answers 413 beyond its limits. */
export const tooLarge = { 413: errors[400] };

export const NDJSON = 'application/x-ndjson';

/**
 * Lets the routes of this plugin take NDJSON (one JSON value a line, blank lines ignored) as a
 * JSON array: validation, the text guard and Idempotency-Key then see the same body either way.
 * A line that is not JSON is 400 malformed_json naming the line.
 */
export function acceptNdjson(app: FastifyInstance): void {
  app.addContentTypeParser(NDJSON, { parseAs: 'string', bodyLimit: BULK_BODY_LIMIT }, (_req, body, done) => {
    const items: unknown[] = [];
    const text = String(body);
    let start = 0;
    for (let n = 1; start <= text.length; n++) {
      const end = text.indexOf('\n', start);
      const line = text.slice(start, end === -1 ? text.length : end).trim();
      start = end === -1 ? text.length + 1 : end + 1;
      if (line === '') continue;
      try {
        items.push(JSON.parse(line));
      } catch {
        return done(new AppError('invalid', 'malformed_json', `line ${n} of the NDJSON body is not valid JSON`, { line: n }), undefined);
      }
    }
    done(null, items);
  });
}

/** A preValidation hook: more than `max` items (or `maxLines` lines in all) is 413 bulk_too_large, before any item is validated. */
export function limitItems(max: number, maxLines?: number) {
  return async (request: FastifyRequest) => {
    const body = request.body;
    if (!Array.isArray(body)) return;
    const lines = maxLines === undefined ? 0 : body.reduce((n: number, x: { lines?: unknown }) => n + (Array.isArray(x?.lines) ? x.lines.length : 0), 0);
    if (body.length > max || (maxLines !== undefined && lines > maxLines)) {
      throw new AppError(
        'payload_too_large',
        'bulk_too_large',
        `at most ${max} items${maxLines === undefined ? '' : ` and ${maxLines} lines`} per request: split it`,
        {
          items: body.length,
          maxItems: max,
          ...(maxLines === undefined ? {} : { lines, maxLines }),
        },
      );
    }
  };
}
