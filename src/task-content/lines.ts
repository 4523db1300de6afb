import type { Principal } from '../accounts/principal.ts';
import type { Deps } from '../deps.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { newId } from '../shared/ids.ts';
import { checkUnitPrice, lineAmountCents, parseQuantity } from '../shared/money.ts';
import { pageOf } from '../shared/paging.ts';
import { assertLinesEditable, findVisibleTask, lockVisibleTask } from './guard.ts';
import { insertLineRows, lineRowsAfter, takeLinePositions, toLineDto, type LineRow } from './line-store.ts';
import type { AddLineInput, LineDto } from './schemas.ts';
import { runTransaction } from '../db/transaction.ts';

const isLineCursor = (v: unknown): v is { pos: number; id: string } =>
  typeof v === 'object' && v !== null && Number.isInteger((v as { pos?: unknown }).pos) && typeof (v as { id?: unknown }).id === 'string';

/** A task's invoice lines in position order, one page at a time. */
export async function listLines(deps: Deps, p: Principal, taskId: string, limit: number, cursor?: string) {
  const db = deps.db.kysely;
  const after = decodeCursor(cursor, isLineCursor);
  await findVisibleTask(db, p, taskId);
  const rows = await lineRowsAfter(db, p.orgId, taskId, after, limit + 1);
  return pageOf(rows, limit, toLineDto, (r) => ({ pos: r.position, id: r.id }));
}

/** Adds an invoice line at the end of an open task; the amount is computed exactly. */
export async function addLine(deps: Deps, p: Principal, taskId: string, input: AddLineInput): Promise<LineDto> {
  const line = checkLine(input);
  return runTransaction(deps, async (trx) => {
    const task = await lockVisibleTask(trx, deps, p, taskId);
    await assertLinesEditable(trx, task);
    const row = newLineRow(p.orgId, taskId, p.userId, line, await takeLinePositions(trx, p.orgId, taskId), deps.clock.now().toISOString());
    await trx.insertInto('task_lines').values(row).execute();
    return toLineDto(row);
  });
}

/**
 * Adds many lines at the end of an open task, in order, in one transaction: the same guards as
 * addLine, checked once; an invalid line refuses them all, naming it (`3.quantity`).
 */
export async function addLines(deps: Deps, p: Principal, taskId: string, inputs: AddLineInput[]): Promise<LineDto[]> {
  const lines = inputs.map((input, i) => checkLine(input, `${i}.`));
  return runTransaction(deps, async (trx) => {
    const task = await lockVisibleTask(trx, deps, p, taskId);
    await assertLinesEditable(trx, task);
    const first = await takeLinePositions(trx, p.orgId, taskId, lines.length);
    const now = deps.clock.now().toISOString();
    const rows = lines.map((line, i) => newLineRow(p.orgId, taskId, p.userId, line, first + i, now));
    await insertLineRows(trx, rows);
    return rows.map(toLineDto);
  });
}

/** A line's input with its quantity and price checked exactly; `at` prefixes the field names in errors. */
export interface CheckedLine {
  input: AddLineInput;
  quantityMilli: number;
  unitPriceCents: number;
}

export function checkLine(input: AddLineInput, at = ''): CheckedLine {
  return { input, quantityMilli: parseQuantity(input.quantity, `${at}quantity`), unitPriceCents: checkUnitPrice(input.unitPriceCents, `${at}unitPriceCents`) };
}

/** The row a new line is stored as. Its position MUST come from the task's counter (takeLinePositions). */
export function newLineRow(orgId: string, taskId: string, actorId: string | null, line: CheckedLine, position: number, now: string): LineRow {
  const { input, quantityMilli, unitPriceCents } = line;
  return {
    id: newId(),
    org_id: orgId,
    task_id: taskId,
    position,
    description: input.description,
    quantity_milli: quantityMilli,
    unit: input.unit || null,
    unit_price_cents: unitPriceCents,
    amount_cents: lineAmountCents(quantityMilli, unitPriceCents),
    tax_treatment: input.taxTreatment,
    product_code: input.productCode || null,
    created_by: actorId,
    created_at: now,
    updated_at: now,
    version: 1,
  };
}
