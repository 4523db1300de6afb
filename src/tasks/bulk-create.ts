import { requireRole, type Principal } from '../accounts/principal.ts';
import { runTransaction } from '../db/transaction.ts';
import { reserveCounterValues, type Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { AppError, invalid } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { insertLineCounters, insertLineRows, type LineRow } from '../task-content/line-store.ts';
import { checkLine, newLineRow, type CheckedLine } from '../task-content/lines.ts';
import { findTaskType, type TaskType } from '../task-types/store.ts';
import { checkSchedule, initialStatusOf, newTaskRow } from './create.ts';
import { checkAssignees, checkClient, checkParent } from './references.ts';
import type { BulkCreatedDto, BulkTaskInput } from './schemas.ts';
import type { TaskRow } from './store.ts';

/** Rows per multi-row insert: tasks have 19 columns, far below both stores' parameter limits at 1,000. */
const CHUNK = 1000;

/**
 * Creates many tasks, each with its lines, in one transaction (dispatchers and admins): every
 * item is checked by the rules of createTask and addLine, and an invalid one refuses them all,
 * naming it (`details.index`, `details.field` such as `37.lines.2.quantity`).
 */
export async function createTasks(deps: Deps, p: Principal, items: BulkTaskInput[]): Promise<BulkCreatedDto> {
  requireRole(p, 'admin', 'dispatcher');
  return runTransaction(deps, (trx) => insertTasks(trx, deps, p.orgId, p.userId, items));
}

/**
 * MUST run inside a transaction. The references are checked once per distinct id (with the
 * one-by-one checks), numbers are taken in one step (gapless, in the order sent), and rows are
 * written with multi-row inserts; the task-created hooks run for each task as createTask runs them.
 */
export async function insertTasks(
  trx: Executor,
  deps: Deps,
  orgId: string,
  actorId: string | null,
  items: BulkTaskInput[],
  onProgress: Progress = () => {},
): Promise<BulkCreatedDto> {
  const checked = await checkItems(trx, deps, orgId, items);
  const first = await reserveCounterValues(trx, orgId, 'task_number', items.length);
  const now = deps.clock.now().toISOString();
  const tasks: TaskRow[] = [];
  const lines: LineRow[] = [];
  const assignees: { org_id: string; task_id: string; user_id: string }[] = [];
  checked.forEach((c, i) => {
    const row = newTaskRow(orgId, actorId, items[i], c.type.id, c.status, first + i, now);
    tasks.push(row);
    c.lines.forEach((line, j) => {
      lines.push(newLineRow(orgId, row.id, actorId, line, j + 1, now));
    });
    for (const user_id of c.assignees) assignees.push({ org_id: orgId, task_id: row.id, user_id });
  });
  const total = tasks.length + lines.length;
  for (let i = 0; i < tasks.length; i += CHUNK) {
    const chunk = tasks.slice(i, i + CHUNK);
    await trx.insertInto('tasks').values(chunk).execute();
    // Each task's lines take positions 1…n here: its counter starts after them.
    await insertLineCounters(
      trx,
      chunk.map((t, j) => ({ task_id: t.id, org_id: orgId, next_line_position: checked[i + j].lines.length + 1 })),
    );
    await trx
      .insertInto('task_history')
      .values(chunk.map((t) => ({ id: newId(), org_id: orgId, task_id: t.id, from_status: null, to_status: t.status, user_id: actorId, at: now })))
      .execute();
    onProgress(i + chunk.length, total);
  }
  for (let i = 0; i < assignees.length; i += CHUNK)
    await trx
      .insertInto('task_assignees')
      .values(assignees.slice(i, i + CHUNK))
      .execute();
  for (let i = 0; i < lines.length; i += CHUNK) {
    await insertLineRows(trx, lines.slice(i, i + CHUNK));
    onProgress(tasks.length + Math.min(i + CHUNK, lines.length), total);
  }
  for (const row of tasks) for (const hook of deps.taskCreatedHooks) await hook(trx, row, deps);
  return {
    count: tasks.length,
    lineCount: lines.length,
    tasks: tasks.map((t, i) => ({ id: t.id, number: t.number, displayNumber: `${checked[i].type.prefix}-${t.number}`, lineCount: checked[i].lines.length })),
  };
}

/** Told of the rows written so far (tasks, then lines) out of all of them. */
export type Progress = (done: number, total: number) => void;

interface CheckedItem {
  type: TaskType;
  status: string;
  assignees: string[];
  lines: CheckedLine[];
}

/** Every item checked as createTask and addLine check one; each distinct reference is read once. */
async function checkItems(trx: Executor, deps: Deps, orgId: string, items: BulkTaskInput[]): Promise<CheckedItem[]> {
  const types = new Map<string, Promise<TaskType | undefined>>();
  const clients = new Map<string, Promise<void>>();
  const parents = new Map<string, Promise<void>>();
  const people = new Map<string, Promise<string[]>>();
  const once = <T>(memo: Map<string, Promise<T>>, key: string, read: () => Promise<T>) => {
    let p = memo.get(key);
    if (!p) memo.set(key, (p = read()));
    return p;
  };
  const out: CheckedItem[] = [];
  for (const [i, input] of items.entries()) {
    try {
      // Shared lock, as createTask takes it: the workflow cannot lose the initial status before we commit.
      const type = await once(types, input.typeId, () => findTaskType(trx, orgId, input.typeId, { mode: 'share', dialect: deps.db.dialect }));
      if (!type) throw invalid('task_type_not_found', 'no such task type', { field: 'typeId', id: input.typeId });
      const status = initialStatusOf(type, input.status);
      checkSchedule(input.scheduledStart, input.scheduledEnd);
      if (input.clientId) await once(clients, input.clientId, () => checkClient(trx, orgId, input.clientId!));
      if (input.parentId) await once(parents, input.parentId, () => checkParent(trx, orgId, input.parentId!));
      const assignees = await once(people, [...input.assigneeIds].sort().join(','), () => checkAssignees(trx, orgId, input.assigneeIds));
      const lines = input.lines.map((line, j) => checkLine(line, `lines.${j}.`));
      out.push({ type, status, assignees, lines });
    } catch (err) {
      throw atItem(err, i);
    }
  }
  return out;
}

/** The same error, naming the item: `details.index`, and its field prefixed with the index. */
export function atItem(err: unknown, index: number, extra: Record<string, unknown> = {}): unknown {
  if (!(err instanceof AppError) || Array.isArray(err.details)) return err;
  const field = typeof err.details.field === 'string' ? `${index}.${err.details.field}` : `${index}`;
  return new AppError(err.type, err.code, `item ${index}: ${err.message}`, { ...err.details, ...extra, index, field }, { cause: err });
}
