import type { z } from 'zod';
import type { Principal } from '../accounts/principal.ts';
import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { TotalsAccumulator } from '../billing-math/index.ts';
import { localDate } from '../shared/calendar.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { notFound } from '../shared/errors.ts';
import { splitPage } from '../shared/paging.ts';
import type { Selectable } from 'kysely';
import type { TaskLinesTable } from '../db/schema.ts';
import { lineRowsAfter, lineSums, toLineDto } from '../task-content/line-store.ts';
import { sourceOf } from '../task-content/provenance.ts';
import { findTaskType } from '../task-types/index.ts';
import { assertCanSeeTask, findTaskRow } from '../tasks/index.ts';
import type { InvoiceViewSchema, OriginDto } from './schemas.ts';

type View = z.infer<typeof InvoiceViewSchema>;
type LineRow = Selectable<TaskLinesTable>;
type Cursor = { own: boolean; pos: number; id: string };
const isCursor = (v: unknown): v is Cursor => typeof (v as Cursor)?.pos === 'number' && typeof (v as Cursor)?.id === 'string';

/**
 * A task's invoice: its own lines, then consolidated lines grouped by the task they were first
 * entered on, one page at a time. The first page (no cursor) also has the totals and taxes of
 * every line: one SQL sum over the whole task, which at 100,000 lines costs far more than a page
 * (issue 10), so the pages after it, which only add lines to what the first showed, have none.
 */
export async function invoiceView(deps: Deps, p: Principal, taskId: string, limit: number, cursor?: string): Promise<View> {
  const db = deps.db.kysely;
  const task = await findTaskRow(db, p.orgId, taskId);
  if (!task) throw notFound('task', taskId);
  await assertCanSeeTask(db, p, taskId);
  const type = (await findTaskType(db, p.orgId, task.type_id))!;
  const client = task.client_id
    ? await db
        .selectFrom('clients')
        .select(['id', 'name', 'tax_region', 'language'])
        .where('org_id', '=', p.orgId)
        .where('id', '=', task.client_id)
        .executeTakeFirst()
    : undefined;
  const org = await db.selectFrom('organizations').select(['currency', 'time_zone']).where('id', '=', p.orgId).executeTakeFirstOrThrow();
  const taxDate = localDate(task.completed_at ? new Date(task.completed_at) : deps.clock.now(), org.time_zone);

  const after = decodeCursor(cursor, isCursor);
  const rows = await pageOfLines(db, p.orgId, taskId, after, limit + 1);
  const { page, nextCursor } = splitPage(rows, limit, (last) => ({ own: last.origin_task_id === null, pos: last.position, id: last.id }));

  const totals = after ? null : await totalsOf(db, p.orgId, taskId, client?.tax_region ?? 'exempt', taxDate);

  return {
    task: { id: task.id, displayNumber: `${type.prefix}-${task.number}`, title: task.title, status: task.status },
    client: client ? { id: client.id, name: client.name, taxRegion: client.tax_region, language: client.language } : null,
    currency: org.currency,
    taxDate,
    groups: await groupLines(db, p.orgId, taskId, page),
    totals,
    nextCursor,
  };
}

/** Totals and taxes of every line of the task, by the client's tax region at `taxDate`. */
async function totalsOf(db: Executor, orgId: string, taskId: string, taxRegion: string, taxDate: string) {
  const sums = await lineSums(db, orgId, taskId);
  return new TotalsAccumulator().addSubtotals(sums.taxable, sums.exempt).finish(taxRegion, taxDate);
}

/** Own lines (no origin) first, then consolidated lines, each in position order (unique in a task: migration 0021). */
async function pageOfLines(db: Executor, orgId: string, taskId: string, after: Cursor | undefined, n: number): Promise<LineRow[]> {
  const out: LineRow[] = [];
  if (!after || after.own) out.push(...(await lineRowsAfter(db, orgId, taskId, after, n, 'own')));
  if (out.length < n) out.push(...(await lineRowsAfter(db, orgId, taskId, after && !after.own ? after : undefined, n - out.length, 'consolidated')));
  return out;
}

/**
 * The page's lines in groups, each with the subtotal of all its lines, on every page. A group is
 * a run of lines from one origin in the view's order (own lines, then consolidated ones by
 * position). A group between two others is whole on this page: its lines are added up here. Only
 * the first and the last may go on past the page's edges: the own lines are summed whole, and a
 * consolidated group's run is read on from the page's edge to the next line of another origin.
 * Each costs the size of the group, not of the task (an IN list of the page's origins read every
 * line of a 100,000-line task on PostgreSQL without statistics), and needs no index by origin.
 */
async function groupLines(db: Executor, orgId: string, taskId: string, rows: LineRow[]): Promise<View['groups']> {
  const groups: (View['groups'][number] & { origin: string | null })[] = [];
  for (const r of rows) {
    let g = groups[groups.length - 1];
    if (!g || g.origin !== r.origin_task_id) {
      g = { origin: r.origin_task_id, source: originDto(r), subtotalCents: 0, lines: [] };
      groups.push(g);
    }
    g.lines.push(toLineDto(r));
    g.subtotalCents += Number(r.amount_cents);
  }
  const first = groups[0];
  const last = groups[groups.length - 1];
  if (first?.origin === null) {
    first.subtotalCents = await ownSubtotal(db, orgId, taskId);
  } else if (first) {
    first.subtotalCents += await runBeyond(db, orgId, taskId, first.origin, rows[0].position, 'before');
  }
  if (last?.origin) last.subtotalCents += await runBeyond(db, orgId, taskId, last.origin, rows[rows.length - 1].position, 'after');
  return groups.map(({ origin: _o, ...g }) => g);
}

/** The sum of the task's own lines (no origin). */
async function ownSubtotal(db: Executor, orgId: string, taskId: string): Promise<number> {
  const row = await db
    .selectFrom('task_lines')
    .select((eb) => eb.fn.sum<number>('amount_cents').as('total'))
    .where('org_id', '=', orgId)
    .where('task_id', '=', taskId)
    .where('origin_task_id', 'is', null)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

/** Lines read at first while following a group's run past a page's edge (most groups are a sub-task's few lines); then four times more each time, up to 1,000. */
const RUN_FIRST_BATCH = 16;

/**
 * The sum of the consolidated lines that go on from `position` (excluded), `after` or `before`
 * it, up to the next consolidated line of another origin than `origin`: the rest of a group the
 * page's edge cut. Read as the pages are (lineRowsAfter), from `position`, a batch at a time:
 * the rows in the index's order on both stores, whatever their statistics, about one run long.
 */
async function runBeyond(db: Executor, orgId: string, taskId: string, origin: string, position: number, side: 'after' | 'before'): Promise<number> {
  let sum = 0;
  for (let from = position, batch = RUN_FIRST_BATCH; ; batch = Math.min(batch * 4, 1000)) {
    const rows = await lineRowsAfter(db, orgId, taskId, { pos: from }, batch, 'consolidated', side === 'before');
    for (const r of rows) {
      if (r.origin_task_id !== origin) return sum;
      sum += Number(r.amount_cents);
    }
    if (rows.length < batch) return sum;
    from = rows[rows.length - 1].position;
  }
}

/** A group's source: the line's provenance, without the consolidation that carried it. */
function originDto(r: LineRow): OriginDto | null {
  const source = sourceOf(r);
  if (!source) return null;
  const { consolidationId: _c, ...origin } = source;
  return origin;
}
