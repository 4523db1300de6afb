import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { AppError, invalid } from '../shared/errors.ts';

/** One uploaded file, streamed: its bytes and the name the client gave. */
export interface ReceivedFile {
  stream: Readable;
  fileName: string | undefined;
}

const malformed = (cause: unknown) =>
  new AppError(
    'invalid',
    'malformed_multipart',
    'the multipart/form-data body is malformed or truncated (check the boundary in Content-Type and that the body was sent whole)',
    { reason: cause instanceof Error ? cause.message : String(cause) },
    { cause },
  );

/**
 * The one file of a multipart/form-data request. A body the parser cannot read — no boundary,
 * a boundary that does not match, a truncated part — answers 400 `malformed_multipart`.
 */
export async function receiveFile(request: FastifyRequest): Promise<ReceivedFile> {
  let file: Awaited<ReturnType<FastifyRequest['file']>>;
  try {
    file = await request.file();
  } catch (err) {
    throw parserErrorOrItself(err);
  }
  if (!file) throw invalid('file_missing', 'send one file in a multipart/form-data field', { field: 'file' });
  return { stream: file.file, fileName: file.filename };
}

/**
 * Runs the storing of a received file. A body that ends mid-file shows only as an error of the
 * file's own stream, met while storing: that one becomes a 400; a disk's error stays what it is.
 */
export async function storingUpload<T>(file: ReceivedFile, store: () => Promise<T>): Promise<T> {
  try {
    return await store();
  } catch (err) {
    if (err !== null && file.stream.errored === err) throw parserErrorOrItself(err);
    throw err;
  }
}

function parserErrorOrItself(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  // busboy's own errors carry no code ("Multipart: Boundary not found", "Unexpected end of multipart data").
  if (err instanceof Error && (code === undefined || code === 'FST_MP_PREMATURE_CLOSE')) return malformed(err);
  return err;
}
