import PDFDocument from 'pdfkit';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { InvoiceDocument } from '../document.ts';
import { documentTitle, renderContext } from './context.ts';
import { loadFonts, type FontPaths } from './fonts.ts';
import { LABELS } from './labels.ts';
import { Layout } from './layout.ts';
import { renderAppendix } from './render-appendix.ts';
import { renderHeader, runningHeader } from './render-header.ts';
import { renderLines } from './render-lines.ts';
import { renderTotals } from './render-totals.ts';

export { DEJAVU, type FontPaths } from './fonts.ts';

export interface RenderPdfOptions {
  /** Adds the appendix listing the attachments by sub-task. */
  includeAppendix?: boolean;
  /** In the appendix, shows a thumbnail of each PNG or JPEG photo. */
  photoThumbnails?: boolean;
  /** The fonts to embed; DejaVu Sans from fonts-dejavu-core by default. */
  fonts?: FontPaths;
}

/**
 * Renders an invoice or credit note as PDF into `out`, page by page: lines are read from
 * `doc.lines()` one at a time and each page is written out when full, so memory stays bounded
 * whatever the number of lines. `doc.lines()` and `doc.attachments()` are each iterated twice
 * (a measuring pass counts the pages for "Page 1 of N") and must give the same items both times.
 * Throws before touching `out` when a font is missing; on a later failure `out` is destroyed
 * with the error (as stream.pipeline does) and the promise rejects.
 */
export async function renderInvoicePdf(doc: InvoiceDocument, out: NodeJS.WritableStream, opts: RenderPdfOptions = {}): Promise<void> {
  const fonts = await loadFonts(opts.fonts);
  const t = LABELS[doc.language];
  const pdf = new PDFDocument({
    size: 'LETTER',
    margin: 0, // the layout keeps its own margins; PDFKit's would add pages behind our back
    lang: doc.language === 'fr' ? 'fr-CA' : 'en-CA',
    info: { Title: `${documentTitle(doc, t)} ${doc.preview ? t.preview : doc.number}`, Author: doc.seller.name },
  });
  // PDFKit 0.20 takes a parsed fontkit font as it takes bytes; its typings only list bytes.
  pdf.registerFont('regular', fonts.regular as unknown as Buffer);
  pdf.registerFont('bold', fonts.bold as unknown as Buffer);
  const stream = pdf as unknown as Readable;

  const pages = await renderPass(doc, pdf, opts, null);
  const piping = pipeline(stream, out);
  piping.catch(() => {}); // awaited below; this only keeps an early failure from being unhandled
  try {
    const drawn = await renderPass(doc, pdf, opts, { total: pages, settle: () => drained(stream, out) });
    if (drawn !== pages) throw new Error(`invoice ${doc.number} changed while rendering: ${pages} pages measured, ${drawn} drawn`);
    pdf.end();
  } catch (err) {
    stream.destroy(err as Error);
    throw await piping.then(
      () => err,
      (e: unknown) => e,
    );
  }
  await piping;
}

/** Lays the whole document out; draws only when `drawing` is given. Returns the number of pages. */
async function renderPass(
  doc: InvoiceDocument,
  pdf: PDFKit.PDFDocument,
  opts: RenderPdfOptions,
  drawing: { total: number; settle: () => Promise<void> } | null,
): Promise<number> {
  const t = LABELS[doc.language];
  const layout = new Layout(pdf, drawing !== null, runningHeader({ doc, t }), (n) => t.page(n, drawing?.total ?? 0), drawing?.settle);
  const ctx = renderContext(doc, layout);
  renderHeader(ctx);
  await renderLines(ctx);
  renderTotals(ctx);
  if (opts.includeAppendix) await renderAppendix(ctx, opts.photoThumbnails === true);
  layout.finish();
  return layout.page;
}

/** Waits while PDFKit holds more than its high-water mark of output that `out` has not taken yet. */
async function drained(pdf: Readable, out: NodeJS.WritableStream): Promise<void> {
  while (pdf.readableLength > pdf.readableHighWaterMark) {
    if (pdf.destroyed) throw new Error('the PDF output stream was closed before the end');
    await new Promise<void>((resolve) => {
      if ((out as Partial<Writable>).writableNeedDrain) {
        const done = () => {
          out.removeListener('drain', done);
          pdf.removeListener('close', done);
          resolve();
        };
        out.once('drain', done);
        pdf.once('close', done);
      } else setImmediate(resolve);
    });
  }
  if (pdf.destroyed) throw new Error('the PDF output stream was closed before the end');
}
