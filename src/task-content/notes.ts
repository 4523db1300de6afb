import type { Principal } from '../accounts/principal.ts';
import type { Selectable } from 'kysely';
import type { NotesTable, Provenance } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { newId } from '../shared/ids.ts';
import { isIdCursor, pageOf } from '../shared/paging.ts';
import { assertNotesAndFilesEditable, findVisibleTask, lockVisibleTask } from './guard.ts';
import { sourceOf } from './provenance.ts';
import type { NoteDto } from './schemas.ts';
import { runTransaction } from '../db/transaction.ts';

type NoteRow = Omit<Selectable<NotesTable>, keyof Provenance>;

const toNoteDto = (r: NoteRow & Partial<Selectable<Provenance>>): NoteDto => ({
  id: r.id,
  taskId: r.task_id,
  authorId: r.author_id,
  body: r.body,
  createdAt: r.created_at,
  source: sourceOf(r),
});

/** A task's notes, oldest first (ids are time-ordered UUIDv7). */
export async function listNotes(deps: Deps, p: Principal, taskId: string, limit: number, cursor?: string) {
  const db = deps.db.kysely;
  const after = decodeCursor(cursor, isIdCursor);
  await findVisibleTask(db, p, taskId);
  let q = db.selectFrom('notes').selectAll().where('org_id', '=', p.orgId).where('task_id', '=', taskId);
  if (after) q = q.where('id', '>', after.id);
  const rows = await q
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return pageOf(rows, limit, toNoteDto, (r) => ({ id: r.id }));
}

/** Appends a note to a task. Notes are never edited: the thread is a record of what was said. */
export async function addNote(deps: Deps, p: Principal, taskId: string, body: string): Promise<NoteDto> {
  const row: NoteRow = {
    id: newId(),
    org_id: p.orgId,
    task_id: taskId,
    author_id: p.userId,
    body,
    created_at: deps.clock.now().toISOString(),
  };
  await runTransaction(deps, async (trx) => {
    // The task's lock orders the note with a completion that consolidates the task.
    const task = await lockVisibleTask(trx, deps, p, taskId);
    await assertNotesAndFilesEditable(trx, task);
    await trx.insertInto('notes').values(row).execute();
  });
  return toNoteDto(row);
}
