import { requireRole, type Principal } from '../accounts/principal.ts';
import { runTransaction } from '../db/transaction.ts';
import type { Deps } from '../deps.ts';
import { parseCsv, type CsvRecord } from '../shared/csv.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { checkLine } from '../task-content/lines.ts';
import { AddLineBody } from '../task-content/schemas.ts';
import { assertCanSeeTask } from './access.ts';
import { insertTasks, type Progress } from './bulk-create.ts';
import { BulkTaskItem, MAX_BULK_LINES, MAX_BULK_TASKS, type BulkCreatedDto, type BulkTaskInput } from './schemas.ts';
import { findTaskRow, type TaskRow } from './store.ts';

/**
 * The columns of a work breakdown, one row per invoice line; rows with the same `subtask` make
 * one sub-task of the main task, in the order they first appear. Header names are matched
 * without regard to case; the other columns of a spreadsheet are ignored.
 */
export const CSV_COLUMNS = {
  subtask: 'the sub-task title (required): rows with the same title are one sub-task',
  description: 'the line (required)',
  quantity: 'exact decimal, at most 3 places (required): 2.5',
  unit: 'h, m³, ea… (optional)',
  unit_price: 'dollars with a decimal point, at most 2 places (required): 145.00',
  tax: 'taxable (default) or exempt',
  product_code: 'optional',
} as const;
type Column = keyof typeof CSV_COLUMNS;
const REQUIRED: Column[] = ['subtask', 'description', 'quantity', 'unit_price'];

/**
 * Imports a CSV work breakdown into a main task (admins, dispatchers): its sub-tasks, of the main
 * task's type, each with its lines, in one transaction through the bulk creation. An error names
 * the CSV line (`details.line`) and column; nothing is written then.
 */
export async function importWorkBreakdown(deps: Deps, p: Principal, mainTaskId: string, csv: string): Promise<BulkCreatedDto> {
  requireRole(p, 'admin', 'dispatcher');
  const db = deps.db.kysely;
  const main = await findTaskRow(db, p.orgId, mainTaskId);
  if (!main) throw notFound('task', mainTaskId);
  await assertCanSeeTask(db, p, mainTaskId);
  return importIntoTask(deps, main, p.userId, csv);
}

/**
 * Imports `csv` under `main` (already found in its organization) as `actorId` (null: the command
 * line). One transaction; `onProgress` is told of the rows written.
 */
export async function importIntoTask(deps: Deps, main: TaskRow, actorId: string | null, csv: string, onProgress?: Progress): Promise<BulkCreatedDto> {
  const { items, lineOf } = workBreakdownItems(csv, main.type_id, main.id);
  return runTransaction(deps, async (trx) => {
    try {
      return await insertTasks(trx, deps, main.org_id, actorId, items, onProgress);
    } catch (err) {
      if (!(err instanceof AppError) || Array.isArray(err.details) || typeof err.details.index !== 'number') throw err;
      const index = err.details.index;
      throw new AppError(err.type, err.code, `line ${lineOf[index]}: ${err.message}`, { ...err.details, line: lineOf[index] }, { cause: err });
    }
  });
}

/** The CSV's sub-tasks as bulk items (checked as the bulk route checks them), and the CSV line each starts on. */
export function workBreakdownItems(csv: string, typeId: string, parentId: string): { items: BulkTaskInput[]; lineOf: number[] } {
  const { separator, records } = parseCsv(csv);
  const [header, ...rows] = records;
  if (!header || rows.length === 0)
    throw invalid('csv_empty', 'the CSV has no line to import: a header row, then one row per invoice line', { columns: Object.keys(CSV_COLUMNS) });
  const at = columnsOf(header);
  if (rows.length > MAX_BULK_LINES)
    throw new AppError('payload_too_large', 'bulk_too_large', `at most ${MAX_BULK_LINES} lines per import: split it`, {
      lines: rows.length,
      maxLines: MAX_BULK_LINES,
    });
  const groups = new Map<string, { line: number; lines: unknown[] }>();
  for (const r of rows) {
    const cell = (c: Column) => (at[c] === undefined ? '' : (r.cells[at[c]!] ?? ''));
    const fail = (column: Column, err: unknown): never => {
      const why = err instanceof AppError ? err : undefined;
      throw invalid(why?.code ?? 'csv_invalid', `line ${r.line}, column ${column}: ${why?.message ?? String(err)}`, { line: r.line, field: column });
    };
    for (const c of REQUIRED) if (cell(c) === '') fail(c, invalid('csv_invalid', 'this column is required'));
    const input = {
      description: cell('description'),
      quantity: decimal(cell('quantity'), separator),
      unit: cell('unit') || undefined,
      unitPriceCents: dollarsToCents(cell('unit_price'), separator, fail),
      taxTreatment: cell('tax') === '' ? undefined : cell('tax').toLowerCase(),
      productCode: cell('product_code') || undefined,
    };
    const parsed = AddLineBody.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail(COLUMN_OF[String(issue.path[0])] ?? 'description', invalid('csv_invalid', issue.message));
    }
    try {
      checkLine(parsed.data!);
    } catch (err) {
      fail(err instanceof AppError && (err.details as { field?: string }).field === 'unitPriceCents' ? 'unit_price' : 'quantity', err);
    }
    const title = cell('subtask');
    const group = groups.get(title) ?? { line: r.line, lines: [] };
    group.lines.push(parsed.data);
    groups.set(title, group);
  }
  if (groups.size > MAX_BULK_TASKS)
    throw new AppError('payload_too_large', 'bulk_too_large', `at most ${MAX_BULK_TASKS} sub-tasks per import: split it`, {
      items: groups.size,
      maxItems: MAX_BULK_TASKS,
    });
  const items: BulkTaskInput[] = [];
  const lineOf: number[] = [];
  for (const [title, g] of groups) {
    const parsed = BulkTaskItem.safeParse({ typeId, parentId, title, lines: g.lines });
    if (!parsed.success) throw invalid('csv_invalid', `line ${g.line}, column subtask: ${parsed.error.issues[0].message}`, { line: g.line, field: 'subtask' });
    items.push(parsed.data);
    lineOf.push(g.line);
  }
  return { items, lineOf };
}

const COLUMN_OF: Record<string, Column> = {
  description: 'description',
  quantity: 'quantity',
  unit: 'unit',
  unitPriceCents: 'unit_price',
  taxTreatment: 'tax',
  productCode: 'product_code',
};

function columnsOf(header: CsvRecord): Partial<Record<Column, number>> {
  const at: Partial<Record<Column, number>> = {};
  header.cells.forEach((name, i) => {
    const key = name
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (key in CSV_COLUMNS && at[key as Column] === undefined) at[key as Column] = i;
  });
  const missing = REQUIRED.filter((c) => at[c] === undefined);
  if (missing.length) {
    throw invalid('csv_missing_columns', `line 1: the header lacks ${missing.join(', ')} (columns: ${Object.keys(CSV_COLUMNS).join(', ')})`, {
      line: 1,
      missing,
    });
  }
  return at;
}

/** In a `;` file a spreadsheet may write the decimal mark as a comma (1,5): taken as 1.5. */
const decimal = (text: string, separator: ';' | ',') => (separator === ';' && /^\d+,\d+$/.test(text) ? text.replace(',', '.') : text);

function dollarsToCents(text: string, separator: ';' | ',', fail: (c: Column, err: unknown) => never): number {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(decimal(text, separator));
  if (!m) fail('unit_price', invalid('invalid_unit_price', `"${text}" is not an amount in dollars with at most 2 decimals, e.g. 145.00`));
  return Number(m![1]) * 100 + Number((m![2] ?? '').padEnd(2, '0'));
}
