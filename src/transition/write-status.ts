import { sql } from 'kysely';
import { staticQuery, type Executor } from '../db/index.ts';
import { isExpectRowsFailure } from '../db/errors.ts';
import { updateVersioned } from '../db/versioned.ts';
import type { Deps } from '../deps.ts';
import { staleVersion } from '../shared/errors.ts';
import type { TaskRow } from '../tasks/index.ts';

/** What a transition writes on the task row. */
export interface StatusChange {
  status: string;
  status_changed_at: string;
  completed_at: string | null;
  updated_by: string | null;
  updated_at: string;
}

/**
 * The status change, on the version read under the lock (409 stale_version when another write got
 * there first), and its history row (`historyId`, from the locked row's status, by `updated_by`,
 * at `status_changed_at`). Returns the new version. MUST run in the transition's transaction.
 *
 * PostgreSQL: one statement, the history row inserted from the UPDATE's RETURNING — a round trip
 * fewer on every transition, and a round trip costs the server more CPU (the socket) than any
 * statement's own work (profile, issue 10). It checks its own count (chantier_expect_rows), so
 * nothing waits for its answer: it goes with the transaction's next statement, or its COMMIT, in
 * the same round trip (withNext); a stale version then fails the transaction there. Run at once
 * (outside a transaction, or before it is prepared on the connection) it answers 409
 * stale_version itself. SQLite runs in process: two statements.
 */
export async function writeStatus(trx: Executor, deps: Pick<Deps, 'db'>, task: TaskRow, change: StatusChange, historyId: string): Promise<number> {
  const next = task.version + 1;
  if (deps.db.dialect === 'postgres') {
    const c = change;
    try {
      await updateWithHistory(
        trx,
        c.status,
        c.status_changed_at,
        c.completed_at,
        c.updated_by,
        c.updated_at,
        next,
        task.org_id,
        task.id,
        task.version,
        historyId,
        task.status,
      );
    } catch (err) {
      if (isExpectRowsFailure(err)) throw staleVersion('task', next);
      throw err;
    }
    return next;
  }
  await updateVersioned(trx, 'tasks', { orgId: task.org_id, id: task.id, version: task.version }, change);
  await insertHistory(trx, historyId, task.org_id, task.id, task.status, change.status, change.updated_by, change.status_changed_at);
  return next;
}

// One per transition: built once (see staticQuery).
const insertHistory = staticQuery((db, id: string, orgId: string, taskId: string, from: string, to: string, userId: string | null, at: string) =>
  db.insertInto('task_history').values({ id, org_id: orgId, task_id: taskId, from_status: from, to_status: to, user_id: userId, at }),
);

// with moved as (update tasks … where org_id, id, version returning …), hist as (insert into task_history select … from moved)
// select chantier_expect_rows(count(*), 1, …) from hist: no row moved (a stale version) fails the statement (CH001).
const updateWithHistory = staticQuery(
  (
    db,
    status: string,
    changedAt: string,
    completedAt: string | null,
    updatedBy: string | null,
    updatedAt: string,
    version: number,
    orgId: string,
    id: string,
    expected: number,
    historyId: string,
    from: string,
  ) =>
    db
      .with('moved', (w) =>
        w
          .updateTable('tasks')
          .set({ status, status_changed_at: changedAt, completed_at: completedAt, updated_by: updatedBy, updated_at: updatedAt, version })
          .where('org_id', '=', orgId)
          .where('id', '=', id)
          .where('version', '=', expected)
          .returning(['org_id', 'id', 'status', 'updated_by', 'status_changed_at']),
      )
      .with('hist', (w) =>
        w
          .insertInto('task_history')
          .columns(['id', 'org_id', 'task_id', 'from_status', 'to_status', 'user_id', 'at'])
          .expression((eb) =>
            eb
              .selectFrom('moved')
              .select((s) => [
                s.val(historyId).as('id'),
                'org_id',
                'id as task_id',
                s.val(from).as('from_status'),
                'status',
                'updated_by',
                'status_changed_at',
              ]),
          )
          .returning(sql<number>`1`.as('one')),
      )
      .selectFrom('hist')
      .select(sql<number>`chantier_expect_rows(count(*), 1, 'the status write')`.as('n')),
  { withNext: true },
);
