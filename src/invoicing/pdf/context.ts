import type { InvoiceDocument } from '../document.ts';
import { DEFAULT_TIME_ZONE, formatDate, formatMoney, formatQuantity, formatRate } from '../format.ts';
import { LABELS, type Labels } from './labels.ts';
import type { Layout } from './layout.ts';

/** What every part of the renderer reads: the document, its labels, formatters in its language, and the page cursor. */
export interface RenderContext {
  doc: InvoiceDocument;
  layout: Layout;
  t: Labels;
  money(cents: number): string;
  date(iso: string): string;
  rate(ratePercent: string): string;
  quantity(q: string): string;
}

export function renderContext(doc: InvoiceDocument, layout: Layout): RenderContext {
  const lang = doc.language;
  const timeZone = doc.timeZone ?? DEFAULT_TIME_ZONE;
  return {
    doc,
    layout,
    t: LABELS[lang],
    money: (cents) => formatMoney(cents, lang, doc.currency),
    date: (iso) => formatDate(iso, lang, timeZone),
    rate: (r) => formatRate(r, lang),
    quantity: (q) => formatQuantity(q, lang),
  };
}

/** "Facture F-1043" / "Credit note C-12". */
export function documentTitle(doc: InvoiceDocument, t: Labels): string {
  return doc.kind === 'credit_note' ? t.creditNote : t.invoice;
}

/** "T-1042 — Excavation". */
export function sourceTitle(number: string, title: string): string {
  return `${number} — ${title}`;
}
