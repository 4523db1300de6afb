import type { Principal } from '../accounts/principal.ts';
import type { Executor } from '../db/index.ts';
import type { Selectable } from 'kysely';
import type { AttachmentsTable, Provenance } from '../db/schema.ts';
import { notFound } from '../shared/errors.ts';
import { canSeeTask } from '../tasks/index.ts';
import { sourceOf } from './provenance.ts';
import type { AttachmentDto } from './schemas.ts';

/** An attachment's own columns; provenance columns belong to consolidation and default to null. */
export type AttachmentRow = Omit<Selectable<AttachmentsTable>, keyof Provenance | 'display_name'>;

export const contentUrlOf = (id: string) => `/api/v1/attachments/${id}/content`;

export const toAttachmentDto = (r: AttachmentRow & Partial<Selectable<Provenance>> & { display_name?: string | null }): AttachmentDto => ({
  id: r.id,
  taskId: r.task_id,
  fileName: r.file_name,
  mediaType: r.media_type,
  size: r.size,
  kind: r.kind,
  uploadedBy: r.uploaded_by,
  createdAt: r.created_at,
  contentUrl: contentUrlOf(r.id),
  displayName: r.display_name ?? r.file_name,
  source: sourceOf(r),
});

/** Guard: the attachment is in the caller's organization, on a task the caller sees; else 404. */
export async function findVisibleAttachment(db: Executor, p: Principal, id: string): Promise<AttachmentRow & { display_name: string | null }> {
  const row = await db.selectFrom('attachments').selectAll().where('org_id', '=', p.orgId).where('id', '=', id).executeTakeFirst();
  if (!row || !(await canSeeTask(db, p, row.task_id))) throw notFound('attachment', id);
  return row;
}
