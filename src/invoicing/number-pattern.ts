import { invalid } from '../shared/errors.ts';

/** The pattern a new organization numbers its invoices with: F-2026-00001, F-2026-00002… */
export const DEFAULT_INVOICE_NUMBER_PATTERN = 'F-{yyyy}-{seq:5}';

const TOKEN_RE = /\{([^{}]*)\}/g;
const LITERAL_RE = /^[A-Za-z0-9 ._#-]*$/;
const SEQ_RE = /^seq(?::(\d{1,2}))?$/;
const DATE_TOKENS = new Set(['yyyy', 'yy', 'mm']);

/**
 * Checks an invoice number pattern: literal text (letters, digits, space . _ # -) and the tokens
 * {yyyy} {yy} {mm} {seq} {seq:N} (N zero-padded digits, 1 to 12), exactly one {seq…}. Throws
 * `invalid_invoice_number_pattern` naming the problem.
 */
export function checkNumberPattern(pattern: string): void {
  const fail = (why: string) => invalid('invalid_invoice_number_pattern', `invoiceNumberPattern ${why}`, { field: 'invoiceNumberPattern', pattern });
  if (pattern.length < 1 || pattern.length > 40) throw fail('must be 1 to 40 characters');
  let seqs = 0;
  for (const [, token] of pattern.matchAll(TOKEN_RE)) {
    const seq = SEQ_RE.exec(token);
    if (seq) {
      const width = seq[1] === undefined ? 1 : Number(seq[1]);
      if (width < 1 || width > 12) throw fail('pads {seq:N} to 1 to 12 digits');
      seqs += 1;
    } else if (!DATE_TOKENS.has(token)) {
      throw fail(`has an unknown token {${token}}; use {yyyy} {yy} {mm} {seq} {seq:N}`);
    }
  }
  if (seqs !== 1) throw fail('must contain {seq} or {seq:N} exactly once');
  if (!LITERAL_RE.test(pattern.replace(TOKEN_RE, ''))) throw fail('may only hold letters, digits, spaces and . _ # - besides its tokens');
}

/**
 * The counter an invoice takes its sequence from: one per year (`invoice:2026`) when the
 * pattern shows the year, else one for ever (`invoice`). Credit notes share it.
 */
export function numberCounterName(pattern: string, issueDate: string): string {
  return /\{yy(yy)?\}/.test(pattern) ? `invoice:${issueDate.slice(0, 4)}` : 'invoice';
}

/** The number for sequence value `seq` issued on `issueDate` (YYYY-MM-DD). Padding never truncates. */
export function formatInvoiceNumber(pattern: string, issueDate: string, seq: number): string {
  return pattern.replace(TOKEN_RE, (_whole, token: string) => {
    if (token === 'yyyy') return issueDate.slice(0, 4);
    if (token === 'yy') return issueDate.slice(2, 4);
    if (token === 'mm') return issueDate.slice(5, 7);
    const m = SEQ_RE.exec(token);
    return String(seq).padStart(m?.[1] ? Number(m[1]) : 1, '0');
  });
}
