/**
 * Page geometry and the page cursor shared by every part of the invoice. The same layout code
 * runs twice over the same content: first measuring only (`drawing` false) to count the pages,
 * then drawing, so each footer can say "Page 2 of 7" while pages are still written out one at
 * a time (PDFKit's bufferPages would hold every page of a 10,000-line invoice in memory).
 */
export const PAGE_WIDTH = 612; // US Letter, in points
export const PAGE_HEIGHT = 792;
export const LEFT = 48;
export const RIGHT = PAGE_WIDTH - 48;
export const CONTENT_WIDTH = RIGHT - LEFT;
const TOP = 48;
const BOTTOM = PAGE_HEIGHT - 60; // the footer sits below
const FOOTER_Y = PAGE_HEIGHT - 40;

/** The tallest block a single row may take: any longer text is cut with an ellipsis. */
export const MAX_BLOCK_HEIGHT = (BOTTOM - TOP) / 2;

export type FontName = 'regular' | 'bold';
export interface Style {
  font?: FontName;
  size?: number;
  color?: string;
}
export const GRAY = '#555555';
const BLACK = '#000000';

export interface Cell extends Style {
  x: number;
  width: number;
  align?: 'left' | 'right' | 'center';
  /** Cut text wider than the cell with "…" (never for amounts: better past the edge than a hidden digit). */
  clip?: boolean;
}

export class Layout {
  y = TOP;
  page = 1;
  /** Drawn at the top of every page after the first (e.g. the table header and the group going on). */
  onNewPage: (() => void) | null = null;

  constructor(
    readonly pdf: PDFKit.PDFDocument,
    readonly drawing: boolean,
    private readonly runningHeader: string,
    private readonly footer: (page: number) => string,
    /** Resolves when the output can take more (backpressure); call between rows. */
    readonly settle: () => Promise<void> = async () => {},
  ) {}

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.y + height > BOTTOM) this.newPage();
  }

  newPage(): void {
    this.drawFooter();
    if (this.drawing) this.pdf.addPage();
    // Counting the cached words costs: every few pages is enough to bound them.
    if (this.page % 8 === 0) forgetWordLayouts(this.pdf);
    this.page++;
    this.y = TOP;
    this.line(this.runningHeader, { x: LEFT, width: CONTENT_WIDTH, size: 8, color: GRAY, clip: true });
    this.y += this.lineHeight({ size: 8 }) + 10;
    this.onNewPage?.();
  }

  /** Draws the footer of the last page; call once at the end. */
  finish(): void {
    this.drawFooter();
  }

  /** One line of text at the cursor (never wraps; the cursor does not move). */
  line(text: string, cell: Cell, y = this.y): void {
    if (!this.drawing || text === '') return;
    const pdf = this.style(cell);
    if (cell.clip) text = clipTo(pdf, text, cell.width);
    // Aligned by hand: with a width PDFKit runs its line wrapper, which is slower and may wrap.
    const free = cell.width - pdf.widthOfString(text);
    const x = cell.x + (cell.align === 'right' ? free : cell.align === 'center' ? free / 2 : 0);
    pdf.text(text, x, y, { lineBreak: false });
  }

  /**
   * Wrapped text at the cursor, cut at MAX_BLOCK_HEIGHT; returns its height (the cursor does not
   * move). `height`, when the caller has just measured it with heightOf, saves measuring again.
   */
  block(text: string, cell: Cell, y = this.y, height = this.heightOf(text, cell)): number {
    if (this.drawing && text !== '') {
      // +1: room for float error, else the wrapper may judge the last measured line not to fit.
      this.style(cell).text(text, cell.x, y, { width: cell.width, align: cell.align ?? 'left', height: height + 1, ellipsis: true });
    }
    return height;
  }

  /** The height `text` takes wrapped in `cell`, at most MAX_BLOCK_HEIGHT. */
  heightOf(text: string, cell: Cell): number {
    if (text === '') return 0;
    const h = this.font(cell).heightOfString(text, { width: cell.width });
    return Math.min(h, MAX_BLOCK_HEIGHT);
  }

  lineHeight(style: Style): number {
    return this.font(style).currentLineHeight(true);
  }

  /** A thin horizontal rule from x1 to x2 at the cursor. */
  rule(x1 = LEFT, x2 = RIGHT, y = this.y): void {
    if (!this.drawing) return;
    this.pdf.save().lineWidth(0.5).strokeColor('#999999').moveTo(x1, y).lineTo(x2, y).stroke().restore();
  }

  /** The document set to the style's font and size, for measuring (style() also sets the colour, in the page). */
  private font(s: Style): PDFKit.PDFDocument {
    return this.pdf.font(s.font ?? 'regular').fontSize(s.size ?? 9);
  }

  private style(s: Style): PDFKit.PDFDocument {
    const pdf = this.font(s);
    // fillColor writes to the page's content: only while drawing.
    return this.drawing ? pdf.fillColor(s.color ?? BLACK) : pdf;
  }

  private drawFooter(): void {
    this.line(this.footer(this.page), { x: LEFT, width: CONTENT_WIDTH, align: 'center', size: 8, color: GRAY }, FOOTER_Y);
  }
}

/** `text` cut to fit `width` at the current font, ending in "…". */
function clipTo(pdf: PDFKit.PDFDocument, text: string, width: number): string {
  if (pdf.widthOfString(text) <= width) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (pdf.widthOfString(`${chars.slice(0, mid).join('')}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('').trimEnd()}…`;
}

/**
 * PDFKit caches the glyph layout of every word it has measured, for the document's lifetime:
 * with unique words (line numbers, amounts) that grows with the invoice. Without the cache
 * rendering is several times slower, so the cache is emptied at every eighth page break once it
 * holds WORD_LAYOUTS_KEPT words: the words every page repeats (labels, titles, names) stay laid out
 * across pages, and memory stays bounded. Reaches into PDFKit internals (`_fontFamilies`,
 * `layoutCache`), checked against the pinned 0.20.2; if they move, this does nothing and only
 * memory suffers.
 */
function forgetWordLayouts(pdf: PDFKit.PDFDocument): void {
  const families = (pdf as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> })._fontFamilies;
  for (const font of Object.values(families ?? {})) {
    if (font.layoutCache && Object.keys(font.layoutCache).length > WORD_LAYOUTS_KEPT) font.layoutCache = Object.create(null);
  }
}

/** Words laid out and kept per font past a check (and eight pages of new words at most until the next): a page repeats some tens of words. */
const WORD_LAYOUTS_KEPT = 500;
