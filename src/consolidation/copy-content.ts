import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { newId } from '../shared/ids.ts';
import { takeLinePositions } from '../task-content/line-store.ts';
import type { TaskRow } from '../tasks/index.ts';
import { attachmentDisplayName } from './naming.ts';
import { groupByOrigin, provenanceOfCopy, type Origin } from './provenance.ts';

const CHUNK = 500;

/**
 * Copies every line, attachment (by reference to the same bytes) and note of `source` into
 * `target`, each with its provenance. Writes only new rows: the target's existing content is
 * never read or rewritten, so the 100,000th consolidation costs what the 10th does.
 * MUST run inside the transition's transaction, under (at least) a shared lock on the target's row.
 */
export async function copyContent(
  trx: Executor,
  deps: Deps,
  input: { source: TaskRow; target: TaskRow; origin: Origin; consolidationId: string; namePattern: string },
): Promise<{ lines: number; attachments: number; notes: number }> {
  const { source, target, origin, consolidationId } = input;
  const orgId = source.org_id;
  const now = deps.clock.now().toISOString();

  const lines = groupByOrigin(
    await trx.selectFrom('task_lines').selectAll().where('org_id', '=', orgId).where('task_id', '=', source.id).orderBy('position').orderBy('id').execute(),
  );
  const files = await trx.selectFrom('attachments').selectAll().where('org_id', '=', orgId).where('task_id', '=', source.id).orderBy('id').execute();
  const notes = await trx.selectFrom('notes').selectAll().where('org_id', '=', orgId).where('task_id', '=', source.id).orderBy('id').execute();

  const fileCopies = files.map((f) => {
    const prov = provenanceOfCopy(f, origin, consolidationId);
    return {
      ...f,
      ...prov,
      id: newId(),
      task_id: target.id,
      display_name:
        f.display_name ?? attachmentDisplayName(input.namePattern, { number: prov.origin_task_number!, title: prov.origin_task_title! }, f.file_name),
      created_at: now,
    };
  });
  for (let i = 0; i < fileCopies.length; i += CHUNK)
    await trx
      .insertInto('attachments')
      .values(fileCopies.slice(i, i + CHUNK))
      .execute();

  const noteCopies = notes.map((n) => ({ ...n, ...provenanceOfCopy(n, origin, consolidationId), id: newId(), task_id: target.id, created_at: now }));
  for (let i = 0; i < noteCopies.length; i += CHUNK)
    await trx
      .insertInto('notes')
      .values(noteCopies.slice(i, i + CHUNK))
      .execute();

  // Lines last: taking positions locks the target's counter row until the commit, and
  // completions under one main task queue there (the main task itself is only share-locked).
  let position = lines.length ? await takeLinePositions(trx, orgId, target.id, lines.length) : 0;
  const lineCopies = lines.map((l) => ({
    ...l,
    ...provenanceOfCopy(l, origin, consolidationId),
    id: newId(),
    task_id: target.id,
    position: position++,
    created_at: now,
    updated_at: now,
    version: 1,
  }));
  for (let i = 0; i < lineCopies.length; i += CHUNK)
    await trx
      .insertInto('task_lines')
      .values(lineCopies.slice(i, i + CHUNK))
      .execute();

  return { lines: lineCopies.length, attachments: fileCopies.length, notes: noteCopies.length };
}

/** Removes what one consolidation copied into its target (the reverse of copyContent). */
export async function removeCopies(trx: Executor, orgId: string, consolidationId: string): Promise<void> {
  for (const table of ['task_lines', 'attachments', 'notes'] as const) {
    await trx.deleteFrom(table).where('org_id', '=', orgId).where('consolidation_id', '=', consolidationId).execute();
  }
}
