// The cost of the n-th consolidation into one main task. Real completions are timed in windows
// (the 10th–59th, the 1,000th–1,049th, …); the consolidated sub-tasks in between are cloned from
// a real one in bulk: every row a real completion left (the sub-task and its history, its lines
// and attachments, the consolidation, the copies on the main task with their provenance and next
// positions, the rule's run log) with new ids, numbers and titles — the same tables, the same
// indexes, only faster to write.
import { sql } from 'kysely';
import type { Executor } from '../../src/db/index.ts';
import type { Deps } from '../../src/deps.ts';
import { newId } from '../../src/shared/ids.ts';
import { takeLinePositions } from '../../src/task-content/line-store.ts';
import { createTask } from '../../src/tasks/index.ts';
import { transitionTask } from '../../src/transition/index.ts';
import { CreateTaskBody } from '../../src/tasks/schemas.ts';
import { knobs } from '../knobs.ts';
import { median, quantile } from '../util.ts';
import { benchPrincipal, bulkTasks, insertChunked, lineRows, reserveNumbers, timed, typeIdOf } from './kit.ts';

interface Caller {
  orgId: string;
  userId: string;
}

export async function scalingStart(deps: Deps, a: Caller) {
  const work = await typeIdOf(deps, a.orgId, 'work');
  const main = await createTask(deps, benchPrincipal(a.orgId, a.userId), CreateTaskBody.parse({ typeId: work, title: 'Projet — 100 000 sous-tâches' }));
  return { mainId: main.id };
}

const countLive = async (db: Executor, orgId: string, mainId: string) =>
  Number(
    (
      await db
        .selectFrom('consolidations')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', orgId)
        .where('target_task_id', '=', mainId)
        .where('state', '=', 'active')
        .executeTakeFirstOrThrow()
    ).n,
  );

/**
 * Brings the main task to `at - 1` consolidated sub-tasks (real completions while there are
 * none yet, then clones), then completes `window` new sub-tasks of `lines` lines one after the
 * other, timing each completion (transitionTask) and reading each rule run's own duration.
 */
export async function scalingWindow(deps: Deps, a: Caller & { mainId: string; at: number; window: number; lines: number }) {
  const db = deps.db.kysely;
  const p = benchPrincipal(a.orgId, a.userId);
  const work = await typeIdOf(deps, a.orgId, 'work');
  const before = await countLive(db, a.orgId, a.mainId);
  const fill = Math.max(0, a.at - 1 - before);
  const newSubtasks = (count: number, first: number) =>
    db.transaction().execute(async (trx) => {
      const tasks = await bulkTasks(trx, deps, {
        ...a,
        typeId: work,
        status: 'in_progress',
        count,
        parentOf: () => a.mainId,
        title: (i) => `Sous-tâche ${first + i}`,
      });
      await insertChunked(trx, 'task_lines', lineRows(deps, tasks, a.lines, a.userId));
      return tasks;
    });
  let fillMs = 0;
  let filledBy: 'none' | 'real completions' | 'clones' = 'none';
  if (fill > 0 && before === 0) {
    const tasks = await newSubtasks(fill, before + 1);
    fillMs = (
      await timed(async () => {
        for (const t of tasks) await transitionTask(deps, p, t.id, { to: 'completed' });
      })
    ).ms;
    filledBy = 'real completions';
  } else if (fill > 0) {
    fillMs = (await timed(() => cloneConsolidated(deps, a.orgId, a.mainId, fill))).ms;
    filledBy = 'clones';
    // Autovacuum is off by default (as on these machines): the cost must stay flat without fresh
    // statistics. BENCH_SCALE_ANALYZE=1 analyzes here, as a lively autovacuum would have.
    if (deps.db.dialect === 'postgres' && knobs.scaleAnalyze) {
      for (const t of ['tasks', 'task_history', 'task_lines', 'attachments', 'notes', 'consolidations', 'automation_runs'])
        await sql`analyze ${sql.table(t)}`.execute(db);
    }
  }
  const window = await newSubtasks(a.window, before + fill + 1);
  const times: number[] = [];
  for (const t of window) times.push((await timed(() => transitionTask(deps, p, t.id, { to: 'completed' }))).ms);
  const runs = await db
    .selectFrom('automation_runs')
    .select(['duration_ms'])
    .where('org_id', '=', a.orgId)
    .where(
      'task_id',
      'in',
      window.map((t) => t.id),
    )
    .where('outcome', '=', 'succeeded')
    .execute();
  const after = await countLive(db, a.orgId, a.mainId);
  const lineCopies = Number(
    (
      await db
        .selectFrom('task_lines')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', a.orgId)
        .where('task_id', '=', a.mainId)
        .where('consolidation_id', 'is not', null)
        .executeTakeFirstOrThrow()
    ).n,
  );
  return {
    at: a.at,
    before,
    fill,
    filledBy,
    fillMs,
    after,
    lineCopies,
    runs: runs.length,
    medianMs: median(times),
    p90Ms: quantile(times, 0.9),
    runMedianMs: median(runs.map((r) => Number(r.duration_ms))),
  };
}

const CLONES_PER_TRANSACTION = 2000;

type AnyRow = Record<string, unknown> & { id: string };

/** Adds `count` consolidated sub-tasks to the main task, each a copy of its latest real one. */
async function cloneConsolidated(deps: Deps, orgId: string, mainId: string, count: number): Promise<void> {
  const db = deps.db.kysely;
  const c = await db
    .selectFrom('consolidations')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('target_task_id', '=', mainId)
    .where('state', '=', 'active')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const src = c.source_task_id;
  const task = await db.selectFrom('tasks').selectAll().where('id', '=', src).executeTakeFirstOrThrow();
  const history = await db.selectFrom('task_history').selectAll().where('task_id', '=', src).orderBy('id').execute();
  const runs = await db.selectFrom('automation_runs').selectAll().where('task_id', '=', src).orderBy('id').execute();
  const prefix = (await db.selectFrom('task_types').select('prefix').where('id', '=', task.type_id).executeTakeFirstOrThrow()).prefix;
  const content = {
    task_lines: {
      own: await db.selectFrom('task_lines').selectAll().where('task_id', '=', src).orderBy('position').execute(),
      copies: await db.selectFrom('task_lines').selectAll().where('consolidation_id', '=', c.id).orderBy('position').execute(),
    },
    attachments: {
      own: await db.selectFrom('attachments').selectAll().where('task_id', '=', src).orderBy('id').execute(),
      copies: await db.selectFrom('attachments').selectAll().where('consolidation_id', '=', c.id).orderBy('id').execute(),
    },
    notes: {
      own: await db.selectFrom('notes').selectAll().where('task_id', '=', src).orderBy('id').execute(),
      copies: await db.selectFrom('notes').selectAll().where('consolidation_id', '=', c.id).orderBy('id').execute(),
    },
  };
  const done = await countLive(db, orgId, mainId);
  for (let from = 0; from < count; from += CLONES_PER_TRANSACTION) {
    const n = Math.min(CLONES_PER_TRANSACTION, count - from);
    await db.transaction().execute(async (trx) => {
      const firstNumber = await reserveNumbers(trx, orgId, n);
      let position = await takeLinePositions(trx, orgId, mainId, n * content.task_lines.copies.length);
      const rows = {
        tasks: [] as unknown[],
        task_history: [] as unknown[],
        consolidations: [] as unknown[],
        automation_runs: [] as unknown[],
        task_lines: [] as unknown[],
        attachments: [] as unknown[],
        notes: [] as unknown[],
      };
      for (let k = 0; k < n; k++) {
        const id = newId();
        const number = firstNumber + k;
        const title = `Sous-tâche ${done + from + k + 1}`;
        const cid = newId();
        rows.tasks.push({ ...task, id, number, title });
        for (const h of history) rows.task_history.push({ ...h, id: newId(), task_id: id });
        rows.consolidations.push({ ...c, id: cid, source_task_id: id });
        for (const r of runs) rows.automation_runs.push({ ...r, id: newId(), task_id: id, actions: r.actions.replaceAll(src, id).replaceAll(c.id, cid) });
        for (const table of ['task_lines', 'attachments', 'notes'] as const) {
          const newIds = new Map<string, string>();
          for (const o of content[table].own as AnyRow[]) {
            const oid = newId();
            newIds.set(o.id, oid);
            rows[table].push({
              ...o,
              id: oid,
              task_id: id,
              ...(table === 'task_lines' ? { description: String(o.description).replace(task.title, title) } : {}),
            });
          }
          for (const cp of content[table].copies as AnyRow[]) {
            const own = cp.origin_task_id === src;
            rows[table].push({
              ...cp,
              id: newId(),
              consolidation_id: cid,
              source_id: newIds.get(cp.source_id as string),
              origin_id: own ? newIds.get(cp.origin_id as string) : cp.origin_id,
              origin_task_id: own ? id : cp.origin_task_id,
              origin_task_number: own ? `${prefix}-${number}` : cp.origin_task_number,
              origin_task_title: own ? title : cp.origin_task_title,
              ...(table === 'task_lines'
                ? { position: position++, description: own ? String(cp.description).replace(task.title, title) : cp.description }
                : {}),
              ...(table === 'attachments' && own
                ? {
                    display_name: String(cp.display_name)
                      .replace(String(cp.origin_task_number), `${prefix}-${number}`)
                      .replace(String(cp.origin_task_title), title),
                  }
                : {}),
            });
          }
        }
      }
      // Parents before children: tasks, then what references them. The tasks go in open and are
      // then completed by an update, as real completions do: on PostgreSQL each leaves a dead row
      // version (and its index entries) behind until a vacuum, which the real path has to live with.
      const cloned = rows.tasks as AnyRow[];
      await insertChunked(
        trx,
        'tasks',
        cloned.map((t) => ({ ...t, status: 'in_progress', completed_at: null })),
        500,
      );
      for (let i = 0; i < cloned.length; i += 500) {
        await trx
          .updateTable('tasks')
          .set({ status: task.status, completed_at: task.completed_at })
          .where('org_id', '=', orgId)
          .where(
            'id',
            'in',
            cloned.slice(i, i + 500).map((t) => t.id),
          )
          .execute();
      }
      for (const [table, list] of Object.entries(rows)) if (table !== 'tasks') await insertChunked(trx, table as keyof typeof rows, list, 500);
    });
  }
}
