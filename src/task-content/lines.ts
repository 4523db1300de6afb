import type { Principal } from '../accounts/principal.ts';
import type { Deps } from '../deps.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { newId } from '../shared/ids.ts';
import { checkUnitPrice, lineAmountCents, parseQuantity } from '../shared/money.ts';
import { pageOf } from '../shared/paging.ts';
import { assertLinesEditable, findVisibleTask, lockVisibleTask } from './guard.ts';
import { lineRowsAfter, takeLinePositions, toLineDto, type LineRow } from './line-store.ts';
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
  const quantityMilli = parseQuantity(input.quantity);
  const unitPriceCents = checkUnitPrice(input.unitPriceCents);
  return runTransaction(deps, async (trx) => {
    const task = await lockVisibleTask(trx, deps, p, taskId);
    await assertLinesEditable(trx, task);
    const now = deps.clock.now().toISOString();
    const row: LineRow = {
      id: newId(),
      org_id: p.orgId,
      task_id: taskId,
      position: await takeLinePositions(trx, p.orgId, taskId),
      description: input.description,
      quantity_milli: quantityMilli,
      unit: input.unit || null,
      unit_price_cents: unitPriceCents,
      amount_cents: lineAmountCents(quantityMilli, unitPriceCents),
      tax_treatment: input.taxTreatment,
      product_code: input.productCode || null,
      created_by: p.userId,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await trx.insertInto('task_lines').values(row).execute();
    return toLineDto(row);
  });
}
