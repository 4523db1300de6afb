// Jobs for the completion benchmarks: sub-tasks ready to complete (5 lines, 2 attachments each),
// the in-process loops (transitionTask, as the route calls it), and the count checks afterwards.
import type { Deps } from '../../src/deps.ts';
import { CreateTaskBody } from '../../src/tasks/schemas.ts';
import { createTask } from '../../src/tasks/index.ts';
import { transitionTask } from '../../src/transition/index.ts';
import { inParallel } from '../util.ts';
import { attachmentRows, benchFiles, benchPrincipal, bulkTasks, insertChunked, lineRows, timed, typeIdOf } from './kit.ts';

interface Caller {
  orgId: string;
  userId: string;
}

/**
 * `mains` main tasks and `count` in-progress sub-tasks spread over them (sub-task i under main
 * i mod mains, so consecutive ids hit different mains), each with `lines` lines and `files`
 * attachments (two shared blobs).
 */
export async function prepareSubtasks(deps: Deps, a: Caller & { mains: number; count: number; lines: number; files: number }) {
  const p = benchPrincipal(a.orgId, a.userId);
  const work = await typeIdOf(deps, a.orgId, 'work');
  const mainIds: string[] = [];
  for (let i = 0; i < a.mains; i++) mainIds.push((await createTask(deps, p, CreateTaskBody.parse({ typeId: work, title: `Projet ${i + 1}` }))).id);
  const files = (await benchFiles(deps)).slice(0, a.files);
  const subs = await deps.db.kysely.transaction().execute(async (trx) => {
    const tasks = await bulkTasks(trx, deps, {
      ...a,
      typeId: work,
      status: 'in_progress',
      count: a.count,
      parentOf: (i) => mainIds[i % mainIds.length],
      title: (i) => `Sous-tâche ${i + 1}`,
    });
    await insertChunked(trx, 'task_lines', lineRows(deps, tasks, a.lines, a.userId));
    await insertChunked(trx, 'attachments', attachmentRows(deps, tasks, files, a.userId));
    return tasks;
  });
  return { mainIds, subIds: subs.map((t) => t.id) };
}

/** What the completions left under these main tasks: completed sub-tasks, live consolidations, copies. */
export async function consolidatedUnder(deps: Deps, a: { orgId: string; mainIds: string[] }) {
  const db = deps.db.kysely;
  const count = async (q: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }) => Number((await q.executeTakeFirstOrThrow()).n);
  return {
    completed: await count(
      db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', a.orgId)
        .where('parent_id', 'in', a.mainIds)
        .where('status', '=', 'completed'),
    ),
    consolidations: await count(
      db
        .selectFrom('consolidations')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', a.orgId)
        .where('target_task_id', 'in', a.mainIds)
        .where('state', '=', 'active'),
    ),
    lineCopies: await count(
      db
        .selectFrom('task_lines')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', a.orgId)
        .where('task_id', 'in', a.mainIds)
        .where('consolidation_id', 'is not', null),
    ),
    attachmentCopies: await count(
      db
        .selectFrom('attachments')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', a.orgId)
        .where('task_id', 'in', a.mainIds)
        .where('consolidation_id', 'is not', null),
    ),
  };
}

/** `count` top-level work tasks in progress, for plain transitions (no rule matches them). */
export async function preparePlainTasks(deps: Deps, a: Caller & { count: number }) {
  const work = await typeIdOf(deps, a.orgId, 'work');
  const tasks = await deps.db.kysely
    .transaction()
    .execute((trx) => bulkTasks(trx, deps, { ...a, typeId: work, status: 'in_progress', count: a.count, title: (i) => `Transition ${i + 1}` }));
  return { ids: tasks.map((t) => t.id) };
}

/**
 * Calls transitionTask for each `[id, to]` step, `concurrency` at a time, in this process; the
 * rate is steps over wall time. Failures are counted (and the first few reported), not thrown.
 */
export async function transitionLoop(deps: Deps, a: Caller & { steps: [string, string][]; concurrency: number }) {
  const p = benchPrincipal(a.orgId, a.userId);
  const errors: string[] = [];
  let failed = 0;
  const { ms, cpuMs } = await timed(() =>
    inParallel(a.steps, a.concurrency, async ([id, to]) => {
      try {
        await transitionTask(deps, p, id, { to });
      } catch (err) {
        failed++;
        if (errors.length < 3) errors.push(err instanceof Error ? err.message : String(err));
      }
    }),
  );
  return { n: a.steps.length, failed, errors, ms, cpuMs };
}
