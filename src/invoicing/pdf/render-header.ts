import type { Address } from '../../http/schemas.ts';
import { documentTitle, sourceTitle, type RenderContext } from './context.ts';
import { GRAY, LEFT, RIGHT, type Cell, type Layout } from './layout.ts';

type Entry = [text: string, style?: Omit<Cell, 'x' | 'width' | 'align'>];

const LEFT_WIDTH = 300;
const RIGHT_WIDTH = 220;
const RIGHT_X = RIGHT - RIGHT_WIDTH;
const PREVIEW_RED = '#b00020';

/** The first page's head: seller and tax numbers, title and dates, the client billed and the source task. */
export function renderHeader(ctx: RenderContext): void {
  const { doc, t, layout } = ctx;
  const label = (name: string, value: string) => `${name}${t.colon} ${value}`;
  const seller: Entry[] = [[doc.seller.name, { font: 'bold', size: 14 }], ...addressLines(doc.seller.address).map((l): Entry => [l])];
  if (doc.seller.phone) seller.push([label(t.phone, doc.seller.phone)]);
  if (doc.seller.email) seller.push([label(t.email, doc.seller.email)]);
  if (doc.seller.gstNumber) seller.push([label(t.gstHst, doc.seller.gstNumber)]);
  if (doc.seller.qstNumber) seller.push([label(t.qst, doc.seller.qstNumber)]);

  const heading: Entry[] = [[documentTitle(doc, t), { font: 'bold', size: 20 }]];
  if (doc.kind === 'credit_note' && doc.creditedInvoiceNumber) heading.push([t.credits(doc.creditedInvoiceNumber), { font: 'bold' }]);
  if (doc.preview) heading.push([t.preview, { font: 'bold', size: 12, color: PREVIEW_RED }]);
  else heading.push([label(t.number, doc.number)]);
  heading.push([label(t.issueDate, ctx.date(doc.issueDate))]);
  if (doc.dueDate && doc.kind === 'invoice') heading.push([label(t.dueDate, ctx.date(doc.dueDate))]);

  let y = layout.y;
  y = Math.max(stack(layout, { x: LEFT, width: LEFT_WIDTH }, seller, y), stack(layout, { x: RIGHT_X, width: RIGHT_WIDTH, align: 'right' }, heading, y)) + 20;

  const buyer: Entry[] = [
    [t.billTo, { font: 'bold', color: GRAY }],
    [doc.buyer.name, { font: 'bold', size: 11 }],
    ...addressLines(doc.buyer.address).map((l): Entry => [l]),
    ...doc.buyer.emails.map((e): Entry => [e]),
  ];
  const task: Entry[] = [[t.task, { font: 'bold', color: GRAY }], [sourceTitle(doc.task.number, doc.task.title)]];
  y = Math.max(stack(layout, { x: LEFT, width: LEFT_WIDTH }, buyer, y), stack(layout, { x: RIGHT_X, width: RIGHT_WIDTH }, task, y)) + 16;
  layout.y = y;
}

/** The line atop every later page: "Facture F-1043 — client", or "Facture APERÇU — non émise — client". */
export function runningHeader(ctx: Pick<RenderContext, 'doc' | 't'>): string {
  return `${documentTitle(ctx.doc, ctx.t)} ${ctx.doc.preview ? ctx.t.preview : ctx.doc.number} — ${ctx.doc.buyer.name}`;
}

/** Draws entries one under the other from `y`; returns the y below the last. */
function stack(layout: Layout, column: Cell, entries: Entry[], y: number): number {
  for (const [text, style] of entries) {
    const cell = { ...column, ...style };
    y += layout.block(text, cell, y) + 1;
  }
  return y;
}

/** An address as printed: street lines, then "City QC  H2X 1Y4", then the country when not Canada. */
export function addressLines(a: Address | null): string[] {
  if (!a) return [];
  const cityLine = [a.city, a.region].filter(Boolean).join(' ') + (a.postalCode ? `  ${a.postalCode}` : '');
  return [a.line1, a.line2 ?? '', cityLine, a.country && a.country !== 'CA' ? a.country : ''].filter((l) => l.trim() !== '');
}
