import type { Principal } from '../accounts/principal.ts';
import type { Deps } from '../deps.ts';
import { notFound } from '../shared/errors.ts';
import { checkUnitPrice, lineAmountCents, parseQuantity } from '../shared/money.ts';
import { assertLinesEditable, lockVisibleTask } from './guard.ts';
import { findLine, toLineDto, type LineRow } from './line-store.ts';
import type { LineDto, UpdateLineInput } from './schemas.ts';
import { runTransaction } from '../db/transaction.ts';
import { checkVersion, updateVersioned } from '../db/versioned.ts';

/** Changes fields of a line of an open task; the amount follows quantity and price. */
export async function updateLine(deps: Deps, p: Principal, taskId: string, lineId: string, input: UpdateLineInput): Promise<LineDto> {
  const quantityMilli = input.quantity === undefined ? undefined : parseQuantity(input.quantity);
  const unitPriceCents = input.unitPriceCents === undefined ? undefined : checkUnitPrice(input.unitPriceCents);
  return runTransaction(deps, async (trx) => {
    const task = await lockVisibleTask(trx, deps, p, taskId);
    const current = await findLine(trx, p.orgId, taskId, lineId);
    if (!current) throw notFound('line', lineId);
    checkVersion('task_lines', current.version, input.version);
    await assertLinesEditable(trx, task, current);
    const next: LineRow = {
      ...current,
      description: input.description ?? current.description,
      quantity_milli: quantityMilli ?? current.quantity_milli,
      unit: input.unit === undefined ? current.unit : input.unit || null,
      unit_price_cents: unitPriceCents ?? current.unit_price_cents,
      tax_treatment: input.taxTreatment ?? current.tax_treatment,
      product_code: input.productCode === undefined ? current.product_code : input.productCode || null,
      updated_at: deps.clock.now().toISOString(),
      version: current.version + 1,
    };
    next.amount_cents = lineAmountCents(next.quantity_milli, next.unit_price_cents);
    await updateVersioned(
      trx,
      'task_lines',
      { orgId: p.orgId, id: lineId, version: current.version },
      {
        description: next.description,
        quantity_milli: next.quantity_milli,
        unit: next.unit,
        unit_price_cents: next.unit_price_cents,
        amount_cents: next.amount_cents,
        tax_treatment: next.tax_treatment,
        product_code: next.product_code,
        updated_at: next.updated_at,
      },
    );
    return toLineDto(next);
  });
}

/** Deletes a line of an open task. Positions of the others stay as they are (gaps are fine). */
export async function removeLine(deps: Deps, p: Principal, taskId: string, lineId: string): Promise<void> {
  await runTransaction(deps, async (trx) => {
    const task = await lockVisibleTask(trx, deps, p, taskId);
    const current = await findLine(trx, p.orgId, taskId, lineId);
    if (!current) throw notFound('line', lineId);
    await assertLinesEditable(trx, task, current);
    await trx.deleteFrom('task_lines').where('org_id', '=', p.orgId).where('id', '=', lineId).execute();
  });
}
