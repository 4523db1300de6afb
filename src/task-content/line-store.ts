import { staticQuery, type Db, type Executor } from '../db/index.ts';
import type { Selectable } from 'kysely';
import { isLockTimeout } from '../db/errors.ts';
import type { Provenance, TaskCountersTable, TaskLinesTable } from '../db/schema.ts';
import { formatQuantity } from '../shared/money.ts';
import { sourceOf } from './provenance.ts';
import type { LineDto } from './schemas.ts';

/** A line's own columns; provenance columns belong to consolidation and default to null. */
export type LineRow = Omit<Selectable<TaskLinesTable>, keyof Provenance>;

export function toLineDto(r: LineRow & Partial<Selectable<Provenance>>): LineDto {
  return {
    id: r.id,
    taskId: r.task_id,
    position: r.position,
    description: r.description,
    quantity: formatQuantity(r.quantity_milli),
    unit: r.unit,
    unitPriceCents: r.unit_price_cents,
    amountCents: r.amount_cents,
    taxTreatment: r.tax_treatment,
    productCode: r.product_code,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    source: sourceOf(r),
  };
}

export const findLine = (db: Executor, orgId: string, taskId: string, lineId: string) =>
  db.selectFrom('task_lines').selectAll().where('org_id', '=', orgId).where('task_id', '=', taskId).where('id', '=', lineId).executeTakeFirst();

/**
 * Every task's counter row, made with the task (create.ts, bulk-create.ts; migration 0016 for
 * the tasks made before): `next_line_position` is 1, or one past the lines made with it. A task
 * never starts without one, so its first line takes its position as every later one does, with
 * one UPDATE: no read of the lines (that read, `max(position)`, was planned on PostgreSQL with
 * whatever statistics the tables had, and with none it scanned every line of the organization).
 * At most 1,000 rows a call (bulk-create's chunks).
 */
export async function insertLineCounters(trx: Executor, rows: TaskCountersTable[]): Promise<void> {
  await trx.insertInto('task_counters').values(rows).execute();
}

/**
 * Takes `count` positions at the end of the task's lines; returns the first. One UPDATE of the
 * task's counter row (migration 0014), whatever the number of lines: the 100,000th consolidation
 * into a main task costs what the 10th does, with or without a recent VACUUM or ANALYZE. Every
 * task has its row from its creation on (insertLineCounters); should one lack it all the same (a
 * row written by hand), the first taker counts it once from the lines (max). MUST run inside the
 * transaction that inserts the lines, and every insert into task_lines MUST take its positions
 * here, or the counter falls behind. The row's lock is held to the commit: call it as late as
 * possible in the transaction (completions under one main task queue on it).
 */
export async function takeLinePositions(trx: Executor, orgId: string, taskId: string, count = 1): Promise<number> {
  const bump = async () => (await bumpCounter(trx, count, orgId, taskId)).rows[0];
  const bumped = await bump();
  if (bumped) return Number(bumped.next_line_position) - count;
  const row = await trx
    .selectFrom('task_lines')
    .select((eb) => eb.fn.max('position').as('last'))
    .where('org_id', '=', orgId)
    .where('task_id', '=', taskId)
    .executeTakeFirst();
  const first = row?.last == null ? 1 : Number(row.last) + 1;
  // Two first takers at once: one inserts, the other's insert does nothing and it bumps instead.
  const inserted = await trx
    .insertInto('task_counters')
    .values({ task_id: taskId, org_id: orgId, next_line_position: first + count })
    .onConflict((oc) => oc.column('task_id').doNothing())
    .returning('next_line_position')
    .executeTakeFirst();
  if (inserted) return first;
  return Number((await bump())!.next_line_position) - count;
}

/**
 * Takes `count` positions at the end of the task's lines, as takeLinePositions does, but in a
 * statement that commits at once on its own (Db.autonomous, PostgreSQL), so the counter row is
 * not held until the caller's commit: completions under one main task then commit side by side
 * instead of one after the other (issue 10). The positions are the caller's even if its
 * transaction rolls back: a gap in the numbering, never a position given twice. Undefined when
 * the store has no such pool (SQLite: one writer, nothing to wait for), when the task has no
 * counter row (see takeLinePositions), or when the row stayed locked (a line added in a
 * transaction still open, maybe the caller's own): then the caller takes them with
 * takeLinePositions, in its transaction.
 */
export async function takeLinePositionsAutonomously(db: Pick<Db, 'autonomous'>, orgId: string, taskId: string, count: number): Promise<number | undefined> {
  if (!db.autonomous) return undefined;
  try {
    const bumped = (await bumpCounter(db.autonomous, count, orgId, taskId)).rows[0];
    return bumped ? Number(bumped.next_line_position) - count : undefined;
  } catch (err) {
    if (isLockTimeout(err)) return undefined;
    throw err;
  }
}

// On every line added and every consolidation: built once (see staticQuery).
const bumpCounter = staticQuery((db, count: number, orgId: string, taskId: string) =>
  db
    .updateTable('task_counters')
    .set((eb) => ({ next_line_position: eb('next_line_position', '+', count) }))
    .where('org_id', '=', orgId)
    .where('task_id', '=', taskId)
    .returning('next_line_position'),
);

/**
 * Lines in position order after the cursor's position, keyset style: cheap on 100,000 lines.
 * A task's positions are unique (migration 0021), so the position alone orders and resumes, as
 * the index holds them: both stores read just the page, whatever their statistics. `part`: only
 * the task's own lines (no origin), or only those consolidated into it. `backward`: the lines
 * before the cursor's position instead, nearest first (the index read the other way).
 */
export function lineRowsAfter(
  db: Executor,
  orgId: string,
  taskId: string,
  after: { pos: number } | undefined,
  limit: number,
  part?: 'own' | 'consolidated',
  backward = false,
) {
  let q = db.selectFrom('task_lines').selectAll().where('org_id', '=', orgId).where('task_id', '=', taskId);
  if (part) q = q.where('origin_task_id', part === 'own' ? 'is' : 'is not', null);
  if (after) q = q.where('position', backward ? '<' : '>', after.pos);
  return q
    .orderBy('position', backward ? 'desc' : 'asc')
    .limit(limit)
    .execute();
}

/** Rows per multi-row insert: 15 columns × 1,000 stays far below both stores' parameter limits. */
const INSERT_CHUNK = 1000;

/** Inserts new lines with multi-row statements (bulk entry). MUST run under the task's row lock. */
export async function insertLineRows(trx: Executor, rows: LineRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK)
    await trx
      .insertInto('task_lines')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .execute();
}

/** Count and taxable / exempt sums of a task's lines, in SQL. */
export async function lineSums(trx: Executor, orgId: string, taskId: string) {
  const rows = await trx
    .selectFrom('task_lines')
    .select(['tax_treatment', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('amount_cents').as('total')])
    .where('org_id', '=', orgId)
    .where('task_id', '=', taskId)
    .groupBy('tax_treatment')
    .execute();
  const of = (t: string) => rows.find((r) => r.tax_treatment === t);
  return {
    count: rows.reduce((s, r) => s + Number(r.n), 0),
    taxable: String(of('taxable')?.total ?? 0),
    exempt: String(of('exempt')?.total ?? 0),
  };
}
