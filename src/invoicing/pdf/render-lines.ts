import type { DocumentLine, DocumentSource } from '../document.ts';
import { sourceTitle, type RenderContext } from './context.ts';
import { CONTENT_WIDTH, GRAY, LEFT, RIGHT, type Cell } from './layout.ts';

const COLUMNS = {
  description: { x: LEFT, width: 236 },
  quantity: { x: 290, width: 50, align: 'right' },
  unit: { x: 346, width: 48, clip: true },
  unitPrice: { x: 398, width: 76, align: 'right' },
  amount: { x: 478, width: RIGHT - 478, align: 'right' },
} satisfies Record<string, Cell>;

const ROW_GAP = 3;

interface OpenGroup {
  group: DocumentSource | null;
  subtotalCents: number;
}

/**
 * The invoice lines, streamed one at a time: the task's own lines (group null) under a plain
 * "Work" header, then each sub-task's lines under its header, each group closed by its subtotal:
 * the sum of the lines printed above it, added up here as they stream (no reader has to sum a
 * group ahead of its lines). A group cut by a page break repeats its header, marked
 * "(continued)", on the next page.
 */
export async function renderLines(ctx: RenderContext): Promise<void> {
  const { layout } = ctx;
  let open: OpenGroup | null = null;
  tableHeader(ctx);
  layout.onNewPage = () => {
    tableHeader(ctx);
    if (open) groupHeader(ctx, measureGroupHeader(ctx, open.group, true));
  };
  for await (const line of ctx.doc.lines()) {
    // Each text is measured once: wrapping it (PDFKit's line wrapper) is most of a row's cost.
    const measured = measureRow(ctx, line);
    if (!open || sourceKey(open.group) !== sourceKey(line.group)) {
      if (open) groupFooter(ctx, open);
      open = null; // a page break before the new header must not repeat the old group's
      const header = measureGroupHeader(ctx, line.group, false);
      layout.ensure(header.height + measured.height); // no header alone at a page's foot
      groupHeader(ctx, header);
      open = { group: line.group, subtotalCents: 0 };
    }
    row(ctx, measured);
    open.subtotalCents += line.amountCents;
    await layout.settle();
  }
  // The task's own lines get a subtotal only when sub-task groups follow them.
  if (open?.group) groupFooter(ctx, open);
  layout.onNewPage = null;
}

const sourceKey = (g: DocumentSource | null) => g?.taskId ?? null;

function tableHeader({ layout, t }: RenderContext): void {
  const style = { font: 'bold', size: 8, color: GRAY } as const;
  layout.line(t.description, { ...COLUMNS.description, ...style });
  layout.line(t.quantity, { ...COLUMNS.quantity, ...style });
  layout.line(t.unit, { ...COLUMNS.unit, ...style });
  layout.line(t.unitPrice, { ...COLUMNS.unitPrice, ...style });
  layout.line(t.amount, { ...COLUMNS.amount, ...style });
  layout.y += layout.lineHeight(style) + 2;
  layout.rule();
  layout.y += 2;
}

function groupTexts({ t, date }: RenderContext, group: DocumentSource | null, continued: boolean): { title: string; meta: string } {
  const base = group ? sourceTitle(group.number, group.title) : t.work;
  if (continued) return { title: `${base} (${t.continued})`, meta: '' };
  if (!group) return { title: base, meta: '' };
  const meta = [
    group.completedAt ? t.completedOn(date(group.completedAt)) : '',
    group.assignees.length ? `${t.employees}${t.colon} ${group.assignees.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('  ·  ');
  return { title: base, meta };
}

const TITLE: Cell = { x: LEFT, width: CONTENT_WIDTH, font: 'bold', size: 10 };
const META: Cell = { x: LEFT, width: CONTENT_WIDTH, size: 8, color: GRAY };

interface MeasuredHeader {
  title: string;
  meta: string;
  titleHeight: number;
  metaHeight: number;
  continued: boolean;
  height: number;
}

function measureGroupHeader(ctx: RenderContext, group: DocumentSource | null, continued: boolean): MeasuredHeader {
  const { title, meta } = groupTexts(ctx, group, continued);
  const titleHeight = ctx.layout.heightOf(title, TITLE);
  const metaHeight = ctx.layout.heightOf(meta, META);
  return { title, meta, titleHeight, metaHeight, continued, height: (continued ? 2 : 8) + titleHeight + metaHeight + 3 };
}

function groupHeader({ layout }: RenderContext, h: MeasuredHeader): void {
  layout.y += h.continued ? 2 : 8;
  layout.y += layout.block(h.title, TITLE, layout.y, h.titleHeight);
  layout.y += layout.block(h.meta, META, layout.y, h.metaHeight) + 3;
}

function describe({ t }: RenderContext, line: DocumentLine): string {
  return line.taxTreatment === 'exempt' ? `${line.description} (${t.exempt})` : line.description;
}

interface MeasuredRow {
  line: DocumentLine;
  description: string;
  descriptionHeight: number;
  height: number;
}

function measureRow(ctx: RenderContext, line: DocumentLine): MeasuredRow {
  const description = describe(ctx, line);
  const descriptionHeight = ctx.layout.heightOf(description, COLUMNS.description);
  return { line, description, descriptionHeight, height: Math.max(descriptionHeight, ctx.layout.lineHeight({})) + ROW_GAP };
}

function row(ctx: RenderContext, { line, description, descriptionHeight, height }: MeasuredRow): void {
  const { layout } = ctx;
  layout.ensure(height);
  layout.block(description, COLUMNS.description, layout.y, descriptionHeight);
  layout.line(ctx.quantity(line.quantity), COLUMNS.quantity);
  layout.line(line.unit ?? '', COLUMNS.unit);
  layout.line(ctx.money(line.unitPriceCents), COLUMNS.unitPrice);
  layout.line(ctx.money(line.amountCents), COLUMNS.amount);
  layout.y += height;
}

function groupFooter(ctx: RenderContext, open: OpenGroup): void {
  const { layout, t } = ctx;
  const style = { font: 'bold', size: 9 } as const;
  layout.ensure(layout.lineHeight(style) + 8);
  layout.rule(COLUMNS.unitPrice.x, RIGHT);
  layout.y += 3;
  layout.line(t.groupSubtotal(open.group ? open.group.number : t.work), {
    x: COLUMNS.quantity.x,
    width: COLUMNS.amount.x - COLUMNS.quantity.x - 6,
    align: 'right',
    ...style,
  });
  layout.line(ctx.money(open.subtotalCents), { ...COLUMNS.amount, ...style });
  layout.y += layout.lineHeight(style) + 6;
}
