import { PermanentDeliveryError } from '../outbox/index.ts';
import type { AttachmentResolver } from './attachments.ts';

/** A task's file or photo, by attachment id: its (display) name and its blob's bytes. */
export const taskAttachmentResolver: AttachmentResolver<{ kind: 'attachment'; attachmentId: string }> = async (ref, { db, deps, orgId }) => {
  const row = await db
    .selectFrom('attachments')
    .select(['file_name', 'display_name', 'media_type', 'blob_hash'])
    .where('org_id', '=', orgId)
    .where('id', '=', ref.attachmentId)
    .executeTakeFirst();
  if (!row) throw new PermanentDeliveryError(`attachment ${ref.attachmentId} no longer exists`);
  return { filename: row.display_name ?? row.file_name, contentType: row.media_type, content: await deps.blobs.open(row.blob_hash) };
};
