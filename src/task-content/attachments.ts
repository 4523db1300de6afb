import { sql } from 'kysely';
import type { Readable } from 'node:stream';
import type { Principal } from '../accounts/principal.ts';
import type { Deps } from '../deps.ts';
import { BlobTooLarge, type StoredBlob } from '../files/blob-store.ts';
import { detectMediaType, isPhoto, SNIFF_BYTES } from '../files/media-type.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { AppError, notAllowed } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { isCursorOf, isIdCursor, pageOf } from '../shared/paging.ts';
import { findVisibleAttachment, toAttachmentDto, type AttachmentRow } from './attachment-store.ts';
import { sanitizeFileName } from './file-name.ts';
import { assertNotesAndFilesEditable, findVisibleTask, lockVisibleTask } from './guard.ts';
import type { AttachmentDto } from './schemas.ts';
import { keysetAfter } from '../db/keyset.ts';
import { runTransaction } from '../db/transaction.ts';

export interface Upload {
  /** The file's bytes, streamed (never buffered whole). */
  stream: Readable;
  /** The name the client gave; sanitized here. */
  fileName: string | undefined;
}

/** Stores an uploaded file and attaches it to a task. The media type comes from the bytes. */
export async function attachFile(deps: Deps, p: Principal, taskId: string, upload: Upload): Promise<AttachmentDto> {
  const db = deps.db.kysely;
  // Checked before the bytes are stored (fail fast), and again under the task's lock below.
  await assertNotesAndFilesEditable(db, await findVisibleTask(db, p, taskId));
  const blob = await storeBlob(deps, upload.stream);
  const mediaType = await detectMediaType(await deps.blobs.head(blob.hash, SNIFF_BYTES));
  const now = deps.clock.now().toISOString();
  const row: AttachmentRow = {
    id: newId(),
    org_id: p.orgId,
    task_id: taskId,
    blob_hash: blob.hash,
    file_name: sanitizeFileName(upload.fileName),
    media_type: mediaType,
    size: blob.size,
    kind: isPhoto(mediaType) ? 'photo' : 'document',
    uploaded_by: p.userId,
    created_at: now,
  };
  await runTransaction(deps, async (trx) => {
    await assertNotesAndFilesEditable(trx, await lockVisibleTask(trx, deps, p, taskId));
    // Content addressed: the same bytes uploaded twice (by anyone) share one blob.
    await trx
      .insertInto('blobs')
      .values({ hash: blob.hash, size: blob.size, media_type: mediaType, created_at: now })
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
    await trx.insertInto('attachments').values(row).execute();
  });
  return toAttachmentDto(row);
}

async function storeBlob(deps: Deps, stream: Readable): Promise<StoredBlob> {
  try {
    return await deps.blobs.put(stream, deps.config.maxUploadBytes);
  } catch (err) {
    if (err instanceof BlobTooLarge) {
      throw new AppError(
        'payload_too_large',
        'file_too_large',
        `the file is larger than ${deps.config.maxUploadBytes} bytes`,
        {
          maxBytes: deps.config.maxUploadBytes,
        },
        { cause: err },
      );
    }
    throw err;
  }
}

/**
 * A task's attachments, oldest first; or, `bySource`, grouped by the task they were first
 * entered on (the task's own files first, then each source task's, in that task's creation order).
 */
export async function listAttachments(deps: Deps, p: Principal, taskId: string, limit: number, cursor?: string, bySource = false) {
  const db = deps.db.kysely;
  await findVisibleTask(db, p, taskId);
  let q = db.selectFrom('attachments').selectAll().where('org_id', '=', p.orgId).where('task_id', '=', taskId);
  if (!bySource) {
    const after = decodeCursor(cursor, isIdCursor);
    if (after) q = q.where('id', '>', after.id);
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return pageOf(rows, limit, toAttachmentDto, (r) => ({ id: r.id }));
  }
  const group = sql<string>`coalesce(origin_task_id, '')`;
  const after = decodeCursor(cursor, isCursorOf('g', 'id'));
  if (after) q = q.where(keysetAfter(group, after.g, sql.ref('id'), after.id));
  const rows = await q
    .orderBy(group)
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return pageOf(rows, limit, toAttachmentDto, (r) => ({ g: r.origin_task_id ?? '', id: r.id }));
}

/** One attachment's metadata. */
export async function getAttachment(deps: Deps, p: Principal, id: string): Promise<AttachmentDto> {
  return toAttachmentDto(await findVisibleAttachment(deps.db.kysely, p, id));
}

/**
 * The attachment, the name it downloads as — the displayed one, so a consolidated copy keeps its
 * sub-task's number ("T-3 – bon-de-travail.pdf") — and a stream of its bytes.
 */
export async function openAttachment(deps: Deps, p: Principal, id: string): Promise<{ attachment: AttachmentRow; downloadName: string; stream: Readable }> {
  const attachment = await findVisibleAttachment(deps.db.kysely, p, id);
  return { attachment, downloadName: attachment.display_name ?? attachment.file_name, stream: await deps.blobs.open(attachment.blob_hash) };
}

/**
 * Detaches a file from its task. The blob stays: other attachments may share its bytes.
 * A consolidated copy is read-only, like a consolidated line: it leaves only with its source.
 */
export async function removeAttachment(deps: Deps, p: Principal, id: string): Promise<void> {
  const row = await findVisibleAttachment(deps.db.kysely, p, id);
  const { consolidation_id } = await deps.db.kysely
    .selectFrom('attachments')
    .select('consolidation_id')
    .where('org_id', '=', p.orgId)
    .where('id', '=', row.id)
    .executeTakeFirstOrThrow();
  if (consolidation_id) {
    throw notAllowed('consolidated_attachment_read_only', 'this file was consolidated from a sub-task: remove it there (reopen it first)', {
      taskId: row.task_id,
      attachmentId: row.id,
      consolidationId: consolidation_id,
    });
  }
  await runTransaction(deps, async (trx) => {
    await assertNotesAndFilesEditable(trx, await lockVisibleTask(trx, deps, p, row.task_id));
    await trx.deleteFrom('attachments').where('org_id', '=', p.orgId).where('id', '=', row.id).execute();
  });
}
