import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import type { ConsolidationsTable } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { newId } from '../shared/ids.ts';
import { takeLinePositions, takeLinePositionsAutonomously } from '../task-content/line-store.ts';
import type { TaskRow } from '../tasks/index.ts';
import { attachmentDisplayName } from './naming.ts';
import type { Origin } from './provenance.ts';
import { copyStatements, insertConsolidation, rowValues, type CopyKinds, type CopyWho } from './copy-statements.ts';
import type { FileToName, SourceContent } from './source.ts';

/**
 * Copies every line, attachment (by reference to the same bytes) and note of `source` into
 * `target`, each with its provenance. Writes only new rows: the target's existing content is
 * never read or rewritten, so the 100,000th consolidation costs what the 10th does. The database
 * copies the rows (INSERT … SELECT); only the copies' ids and the attachments' display names
 * (the rule's pattern) are made here. A kind of content the source has none of costs nothing.
 * `content` MUST be the source's, read under its row lock (lockSource). MUST run inside the
 * transition's transaction, under (at least) a shared lock on the target's row.
 */
export async function copyContent(
  trx: Executor,
  deps: Deps,
  input: {
    source: TaskRow;
    content: SourceContent;
    target: TaskRow;
    origin: Origin;
    consolidation: ConsolidationsTable;
    /** The consolidation's row is new: inserted here, first (on PostgreSQL in the same statement as the copies). */
    insertConsolidation: boolean;
    namePattern: string;
  },
): Promise<{ lines: number; attachments: number; notes: number }> {
  const { source, content, target, origin, consolidation } = input;
  const consolidationId = consolidation.id;
  const orgId = source.org_id;
  const now = deps.clock.now().toISOString();

  const o = origin;
  const who: CopyWho = [orgId, source.id, target.id, consolidationId, now, o.taskId, o.number, o.title, o.completedAt, o.assignees];
  const { files } = content;
  const copied = { lines: content.lines, attachments: files.length, notes: content.notes };
  // Names from the rule's pattern, in the order the statements copy the attachments: by id.
  const names = () => JSON.stringify(files.map((f) => f.display_name ?? attachmentDisplayName(input.namePattern, ownOrReceived(f, origin), f.file_name)));
  // Lines received from sub-tasks go grouped by origin, which costs the database two more
  // window passes; most sources (the leaves of the tree) have none.
  const lineOrder: CopyKinds['lines'] = content.lines === 0 ? null : content.receivedLines > 0 ? 'byOrigin' : 'own';

  // PostgreSQL: the lines' positions are taken in a statement committed on its own, so the
  // target's counter row is not held until our commit (completions under one main task commit
  // side by side), and every kind is copied in one statement (each statement is a network round
  // trip). Without a counter row yet (the target's first lines ever), or with the row held by a
  // transaction still open, the statements of one kind below do it, in our transaction. SQLite
  // runs them in process, one writer at a time: no round trip, nothing to wait for.
  if (deps.db.dialect === 'postgres' && (copied.lines > 0 || copied.attachments > 0 || copied.notes > 0)) {
    const first = lineOrder === null ? 0 : await takeLinePositionsAutonomously(deps.db, orgId, target.id, copied.lines);
    if (first !== undefined) {
      const kinds = { lines: lineOrder, attachments: copied.attachments > 0, notes: copied.notes > 0, consolidation: input.insertConsolidation };
      const inOne = copyStatements.postgres.inOne(kinds);
      // It checks its own counts against the source's, so it may ride with the next statement or the COMMIT.
      const c = copied;
      await inOne(
        trx,
        ...who,
        newIds(c.lines),
        first,
        newIds(c.attachments),
        names(),
        newIds(c.notes),
        c.lines,
        c.attachments,
        c.notes,
        ...rowValues(consolidation),
      );
      return copied;
    }
  }

  // One statement per kind: SQLite's way, and PostgreSQL's for a target's first lines ever.
  if (input.insertConsolidation) await insertConsolidation(trx, consolidation);
  const copy = copyStatements[deps.db.dialect];
  if (copied.attachments > 0) {
    const res = await copy.attachments(trx, ...who, newIds(copied.attachments), names());
    expectCopied(res.numAffectedRows, copied.attachments, 'attachments');
  }
  if (copied.notes > 0) {
    const res = await copy.notes(trx, ...who, newIds(copied.notes));
    expectCopied(res.numAffectedRows, copied.notes, 'notes');
  }
  // Lines last: taking positions locks the target's counter row until the commit, and
  // completions under one main task queue there (the main task itself is only share-locked).
  if (lineOrder !== null) {
    const first = await takeLinePositions(trx, orgId, target.id, copied.lines);
    const copyLines = lineOrder === 'byOrigin' ? copy.linesGroupedByOrigin : copy.lines;
    const res = await copyLines(trx, ...who, newIds(copied.lines), first);
    expectCopied(res.numAffectedRows, copied.lines, 'lines');
  }
  return copied;
}

/**
 * Removes what one consolidation copied into its target (the reverse of copyContent). The copies
 * are found through the rows they were copied from (each table's unique index on (org_id,
 * source_id)), in a shape whose only cheap plan is that one, with or without statistics: the
 * source's content cannot change while its consolidation is live (a closed task's lines are
 * read-only, and its notes and files once consolidated: task-content/guard.ts), so its rows are
 * those that were copied, and a row has at most one copy at a time (the unique index; a
 * retracted consolidation's copies were removed with it).
 */
export async function removeCopies(trx: Executor, deps: Pick<Deps, 'db'>, orgId: string, consolidation: { source_task_id: string }): Promise<void> {
  for (const table of ['task_lines', 'attachments', 'notes'] as const) {
    const copies = sql.table(table);
    await sql`${
      deps.db.dialect === 'postgres'
        ? // Joined on the source row's own org_id: the planner knows the copies' org_id from it.
          sql`delete from ${copies} c using ${copies} s
            where s.org_id = ${orgId} and s.task_id = ${consolidation.source_task_id}
              and c.org_id = s.org_id and c.source_id = s.id`
        : sql`delete from ${copies}
            where org_id = ${orgId} and source_id in (select s.id from ${copies} s where s.org_id = ${orgId} and s.task_id = ${consolidation.source_task_id})`
    }`.execute(trx);
  }
}

/** The copies' ids, made here (time-ordered, see newId), as one JSON array: the n-th row copied takes the n-th. */
const newIds = (count: number) => JSON.stringify(Array.from({ length: count }, () => newId()));

function expectCopied(copied: bigint | number | undefined, expected: number, what: string): void {
  // The content was read under the source's row lock, which every change of it takes.
  if (Number(copied) !== expected) throw new Error(`consolidation copied ${copied} ${what} where the source holds ${expected}`);
}

/** The task an attachment's name refers to: the source for its own files, else the one it was first attached to. */
const ownOrReceived = (f: FileToName, origin: Origin) =>
  f.origin_task_id === null ? { number: origin.number, title: origin.title } : { number: f.origin_task_number!, title: f.origin_task_title! };
