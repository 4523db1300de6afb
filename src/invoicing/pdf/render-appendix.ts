import type { DocumentAttachment, DocumentSource } from '../document.ts';
import { formatBytes } from '../format.ts';
import { sourceTitle, type RenderContext } from './context.ts';
import { CONTENT_WIDTH, GRAY, LEFT, RIGHT, type Cell } from './layout.ts';
import { isEmbeddable, MAX_THUMBNAIL_BYTES, thumbnailKind } from './thumbnail.ts';

const NAME: Cell = { x: LEFT, width: 300 };
const TYPE: Cell = { x: 356, width: 110, color: GRAY, clip: true };
const SIZE: Cell = { x: 470, width: RIGHT - 470, align: 'right', color: GRAY };
const THUMB = { x: LEFT + 12, width: 120, height: 90 };
const GROUP: Cell = { x: LEFT, width: CONTENT_WIDTH, font: 'bold', size: 10 };

/**
 * The appendix on its own pages: attachments by source sub-task (name, type, size), with a
 * thumbnail for PNG and JPEG photos when asked. Nothing at all when there is no attachment.
 * A photo that cannot be read or embedded gets a "preview unavailable" box, never an error.
 */
export async function renderAppendix(ctx: RenderContext, thumbnails: boolean): Promise<void> {
  const { layout, t } = ctx;
  let open: { group: DocumentSource | null } | null = null;
  let started = false;
  layout.onNewPage = () => {
    if (open) groupHeader(ctx, open.group, true);
  };
  for await (const att of ctx.doc.attachments()) {
    if (!started) {
      layout.newPage();
      layout.y += layout.block(t.appendix, { x: LEFT, width: CONTENT_WIDTH, font: 'bold', size: 14 }) + 4;
      started = true;
    }
    if (!open || open.group?.taskId !== att.group?.taskId) {
      open = null;
      layout.ensure(groupHeaderHeight(ctx, att.group) + rowHeight(ctx, att, thumbnails));
      groupHeader(ctx, att.group, false);
      open = { group: att.group };
    }
    await row(ctx, att, thumbnails);
    await layout.settle();
  }
  layout.onNewPage = null;
}

function groupTitle({ doc }: RenderContext, group: DocumentSource | null): string {
  return group ? sourceTitle(group.number, group.title) : sourceTitle(doc.task.number, doc.task.title);
}

function groupHeaderHeight(ctx: RenderContext, group: DocumentSource | null): number {
  return 10 + ctx.layout.heightOf(groupTitle(ctx, group), GROUP) + 3;
}

function groupHeader(ctx: RenderContext, group: DocumentSource | null, continued: boolean): void {
  const title = groupTitle(ctx, group) + (continued ? ` (${ctx.t.continued})` : '');
  ctx.layout.y += continued ? 2 : 10;
  ctx.layout.y += ctx.layout.block(title, GROUP) + 3;
}

const withThumbnail = (att: DocumentAttachment, thumbnails: boolean) => thumbnails && thumbnailKind(att.mediaType) !== null;

function rowHeight(ctx: RenderContext, att: DocumentAttachment, thumbnails: boolean): number {
  const text = Math.max(ctx.layout.heightOf(att.name, NAME), ctx.layout.lineHeight({})) + 3;
  return text + (withThumbnail(att, thumbnails) ? THUMB.height + 6 : 0);
}

async function row(ctx: RenderContext, att: DocumentAttachment, thumbnails: boolean): Promise<void> {
  const { layout } = ctx;
  const height = rowHeight(ctx, att, thumbnails);
  layout.ensure(height);
  const textHeight = layout.block(att.name, NAME);
  layout.line(att.mediaType, TYPE);
  layout.line(formatBytes(att.size, ctx.doc.language), SIZE);
  if (withThumbnail(att, thumbnails) && layout.drawing) {
    await thumbnail(ctx, att, layout.y + Math.max(textHeight, layout.lineHeight({})) + 3);
  }
  layout.y += height;
}

async function thumbnail(ctx: RenderContext, att: DocumentAttachment, y: number): Promise<void> {
  const { pdf } = ctx.layout;
  const kind = thumbnailKind(att.mediaType)!;
  let bytes: Buffer | null = null;
  if (att.size <= MAX_THUMBNAIL_BYTES) bytes = await att.bytes().catch(() => null);
  if (bytes && bytes.length <= MAX_THUMBNAIL_BYTES && isEmbeddable(kind, bytes)) {
    try {
      pdf.image(bytes, THUMB.x, y, { fit: [THUMB.width, THUMB.height] });
      return;
    } catch {
      // PDFKit refused it after all: fall through to the placeholder.
    }
  }
  pdf.save().lineWidth(0.5).strokeColor('#bbbbbb').rect(THUMB.x, y, THUMB.width, THUMB.height).stroke().restore();
  ctx.layout.line(ctx.t.thumbnailUnavailable, { x: THUMB.x, width: THUMB.width, align: 'center', size: 7, color: GRAY }, y + THUMB.height / 2 - 4);
}
