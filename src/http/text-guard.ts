import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';

// U+0000 (PostgreSQL text cannot hold it: a 500 there, a silent truncation risk elsewhere) and
// UTF-16 surrogates that are not part of a pair (both stores would keep U+FFFD instead of them).
// With the `u` flag a well-formed pair is one code point, so only a lone surrogate matches.
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what this refuses (PostgreSQL cannot store it)
const UNSTORABLE = /[\u0000\uD800-\uDFFF]/u;

interface BadText {
  path: string;
  message: string;
  code: 'invalid_characters';
}

/**
 * Refuses, before validation and on every route, any text that no store can keep as sent:
 * 400 `validation_failed` naming each field (body, query string, path parameters).
 * One hook, so a new route is covered the day it is added.
 */
export function installTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const fields = unstorableTextIn(request);
    if (fields.length === 0) return;
    const list = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
    throw new AppError('invalid', 'validation_failed', `the request is not valid — ${list}`, { fields });
  });
}

function unstorableTextIn(request: FastifyRequest): BadText[] {
  const out: BadText[] = [];
  collect(request.params, 'params', out);
  collect(request.query, 'querystring', out);
  collect(request.body, 'body', out);
  return out;
}

/** Walks a parsed JSON value (or query/params object), noting each string or key that cannot be stored. */
function collect(value: unknown, path: string, out: BadText[], depth = 0): void {
  if (depth > 64) return; // the body limit bounds the size; this bounds the recursion
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) out.push({ path, message: 'contains U+0000 or an unpaired UTF-16 surrogate', code: 'invalid_characters' });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      collect(v, `${path}.${i}`, out, depth + 1);
    });
    return;
  }
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (UNSTORABLE.test(k)) {
      out.push({
        path: `${path}.${JSON.stringify(k).slice(1, -1)}`,
        message: 'the field name contains U+0000 or an unpaired UTF-16 surrogate',
        code: 'invalid_characters',
      });
      continue;
    }
    collect(v, `${path}.${k}`, out, depth + 1);
  }
}
