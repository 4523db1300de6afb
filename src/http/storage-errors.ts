import { AppError } from '../shared/errors.ts';

/**
 * The database or the files folder failing — not a bug, not the client's fault: an operator's
 * matter, answered with a status and a code that say which (the log keeps the cause).
 * Looks through `cause` chains: verbs may wrap the driver's error.
 */
export function storageFailure(err: unknown): AppError | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const found = classify(e as { code?: unknown; message?: unknown });
    if (found) return new AppError(found.type, found.code, found.message, {}, { cause: err });
  }
  return undefined;
}

type Found = { type: 'unavailable' | 'insufficient_storage'; code: string; message: string };

// PostgreSQL SQLSTATEs: 57P01-03 shutdown / cannot connect now, 08xxx connection exceptions,
// 53300 too many connections, 53100 disk full.
const PG_UNAVAILABLE = /^(57P0[123]|08\d\d\d|53300)$/;
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const PG_CLIENT_GONE = /Connection terminated|not queryable|timeout exceeded when trying to connect|Client was closed/;

function classify(e: { code?: unknown; message?: unknown }): Found | undefined {
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (code === 'CHANTIER_WAL_SYNC_FAILED') {
    // Before the disk's own errors in its cause: whether the last writes are on disk is unknown.
    return {
      type: 'unavailable',
      code: 'storage_sync_failed',
      message:
        'the server could not make its last writes durable and stopped accepting work; this request may not have been saved — an operator must restart it',
    };
  }
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || code === '53100') {
    return {
      type: 'insufficient_storage',
      code: 'insufficient_storage',
      message: 'the server’s storage is full; nothing was saved — try again once space is freed',
    };
  }
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY')) {
    return { type: 'unavailable', code: 'storage_read_only', message: 'the server’s storage is read-only; nothing was saved — try again later' };
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return { type: 'unavailable', code: 'database_busy', message: 'the database stayed busy with other writes; nothing was saved — try again' };
  }
  if (code === 'EIO' || code.startsWith('SQLITE_IOERR')) {
    return { type: 'unavailable', code: 'storage_io_error', message: 'the server could not read or write its storage; try again later' };
  }
  if (PG_UNAVAILABLE.test(code) || NET_UNAVAILABLE.has(code) || PG_CLIENT_GONE.test(message)) {
    return { type: 'unavailable', code: 'database_unavailable', message: 'the database is unavailable; nothing was saved — try again shortly' };
  }
  return undefined;
}
