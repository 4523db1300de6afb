import type { RenderContext } from './context.ts';
import { CONTENT_WIDTH, LEFT, RIGHT, type Cell, type Style } from './layout.ts';

const LABEL: Cell = { x: 330, width: 140 };
const AMOUNT: Cell = { x: 470, width: RIGHT - 470, align: 'right' };
const TOTAL: Style = { font: 'bold', size: 11 };
const TERMS: Cell = { x: LEFT, width: CONTENT_WIDTH, font: 'bold' };
const NOTE: Cell = { x: LABEL.x, width: RIGHT - LABEL.x };

/**
 * Subtotal, each tax with its rate ("TVQ 9,975 %" / "QST 9.975%"), the total — with, for a small
 * supplier, the statement that no tax is charged — then the payment terms; kept on one page.
 */
export function renderTotals(ctx: RenderContext): void {
  const { doc, t, layout } = ctx;
  const { totals } = doc;
  const rows: [string, number][] = [[t.subtotal, totals.subtotalCents]];
  if (totals.exemptSubtotalCents !== 0) rows.push([t.exemptSubtotal, totals.exemptSubtotalCents]);
  for (const tax of totals.taxes) rows.push([`${t.tax[tax.tax]} ${ctx.rate(tax.ratePercent)}`, tax.amountCents]);
  const terms = doc.kind === 'invoice' ? t.paymentTerms(doc.paymentTermsDays) : '';
  const note = doc.seller.smallSupplier ? t.smallSupplier : '';

  const rowHeight = layout.lineHeight({}) + 3;
  const totalHeight = layout.lineHeight(TOTAL) + 8;
  const termsHeight = terms ? layout.heightOf(terms, TERMS) + 14 : 0;
  const noteHeight = note ? layout.heightOf(note, NOTE) + 4 : 0;
  layout.ensure(10 + rows.length * rowHeight + totalHeight + noteHeight + termsHeight);

  layout.y += 10;
  for (const [label, cents] of rows) {
    layout.line(label, LABEL);
    layout.line(ctx.money(cents), AMOUNT);
    layout.y += rowHeight;
  }
  layout.rule(LABEL.x, RIGHT);
  layout.y += 4;
  layout.line(t.total, { ...LABEL, ...TOTAL });
  layout.line(ctx.money(totals.totalCents), { ...AMOUNT, ...TOTAL });
  layout.y += totalHeight;
  if (note) layout.y += layout.block(note, NOTE) + 4;
  if (terms) {
    layout.y += 14;
    layout.y += layout.block(terms, TERMS);
  }
}
