import type { Executor } from '../db/index.ts';
import type { AttachmentRef } from './attachments.ts';

export type TaskFilesChoice = 'none' | 'attachments' | 'photos' | 'all';
export const DEFAULT_MAX_TOTAL_BYTES = 15 * 1024 * 1024;

export interface PickedFiles {
  refs: AttachmentRef[];
  /** Files that did not fit under the cap, to list in the text. */
  left: { name: string; size: number }[];
}

/**
 * The task's files to attach, oldest first, each taken while the total stays under the cap
 * (a file that does not fit is left out; smaller ones after it may still fit).
 * 'attachments' means documents, 'photos' photos, 'all' both.
 */
export async function pickTaskFiles(trx: Executor, orgId: string, taskId: string, which: TaskFilesChoice, maxTotalBytes: number): Promise<PickedFiles> {
  if (which === 'none') return { refs: [], left: [] };
  let q = trx.selectFrom('attachments').select(['id', 'file_name', 'display_name', 'size']).where('org_id', '=', orgId).where('task_id', '=', taskId);
  if (which !== 'all') q = q.where('kind', '=', which === 'photos' ? 'photo' : 'document');
  const rows = await q.orderBy('id').execute();
  const out: PickedFiles = { refs: [], left: [] };
  let total = 0;
  for (const r of rows) {
    const size = Number(r.size);
    if (total + size <= maxTotalBytes) {
      total += size;
      out.refs.push({ kind: 'attachment', attachmentId: r.id });
    } else out.left.push({ name: r.display_name ?? r.file_name, size });
  }
  return out;
}
