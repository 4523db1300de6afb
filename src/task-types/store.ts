import { forShare, forUpdate, type Dialect, type Executor } from '../db/index.ts';
import type { TaskTypesTable } from '../db/schema.ts';
import type { TaskTypeDto } from './schemas.ts';
import type { Workflow } from './workflow.ts';

export interface TaskType {
  id: string;
  orgId: string;
  key: string;
  label: { fr: string; en: string };
  prefix: string;
  billing: boolean;
  workflow: Workflow;
  createdAt: string;
  updatedAt: string;
  version: number;
}

// Parsed workflows, keyed by id and version: a transition must not re-parse JSON each time.
const parsed = new Map<string, Workflow>();

export function toTaskType(row: TaskTypesTable): TaskType {
  const cacheKey = `${row.id}@${row.version}`;
  let workflow = parsed.get(cacheKey);
  if (!workflow) {
    workflow = JSON.parse(row.workflow) as Workflow;
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(cacheKey, workflow);
  }
  return {
    id: row.id,
    orgId: row.org_id,
    key: row.key,
    label: { fr: row.label_fr, en: row.label_en },
    prefix: row.prefix,
    billing: row.billing === 1 || (row.billing as unknown) === true,
    workflow,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export const toTaskTypeDto = ({ orgId: _o, ...t }: TaskType): TaskTypeDto => t;

/**
 * `lock` 'share' is for writing a task's status from the workflow read (a workflow edit waits
 * for that transaction); 'update' is for editing the workflow itself.
 */
export async function findTaskType(
  db: Executor,
  orgId: string,
  id: string,
  lock?: { mode: 'share' | 'update'; dialect: Dialect },
): Promise<TaskType | undefined> {
  const memo = db.isTransaction ? memoOf(db) : undefined;
  const key = `${orgId}/${id}`;
  const held = memo?.get(key);
  if (held && LOCK_RANK[held.lock] >= LOCK_RANK[lock?.mode ?? 'none']) return held.type;
  let q = db.selectFrom('task_types').selectAll().where('org_id', '=', orgId).where('id', '=', id);
  if (lock) q = lock.mode === 'share' ? forShare(q, lock.dialect) : forUpdate(q, lock.dialect);
  const row = await q.executeTakeFirst();
  const type = row && toTaskType(row);
  if (memo && type) memo.set(key, { type, lock: lock?.mode ?? 'none' });
  return type;
}

// Within one transaction a task type is read once (a completion with its rules used to read it
// five times); the memo dies with the transaction object. Only transactions are memoized.
const LOCK_RANK = { none: 0, share: 1, update: 2 } as const;
const memos = new WeakMap<Executor, Map<string, { type: TaskType; lock: keyof typeof LOCK_RANK }>>();
function memoOf(trx: Executor) {
  let m = memos.get(trx);
  if (!m) memos.set(trx, (m = new Map()));
  return m;
}

/** Puts a type read (and locked in `lock`) by another statement into the transaction's memo. */
export function rememberTaskType(trx: Executor, type: TaskType, lock: 'share' | 'update'): void {
  if (trx.isTransaction) memoOf(trx).set(`${type.orgId}/${type.id}`, { type, lock });
}

/** MUST be called after changing a task type inside a transaction. */
export function forgetTaskType(trx: Executor, orgId: string, id: string): void {
  memos.get(trx)?.delete(`${orgId}/${id}`);
}

export async function listTaskTypes(db: Executor, orgId: string): Promise<TaskType[]> {
  const rows = await db.selectFrom('task_types').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toTaskType);
}

export function taskTypeRow(t: TaskType): TaskTypesTable {
  return {
    id: t.id,
    org_id: t.orgId,
    key: t.key,
    label_fr: t.label.fr,
    label_en: t.label.en,
    prefix: t.prefix,
    billing: t.billing ? 1 : 0,
    workflow: JSON.stringify(t.workflow),
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    version: t.version,
  };
}
