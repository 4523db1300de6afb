import { sql, type SqlBool } from 'kysely';
import { requireRole, type Principal } from '../accounts/principal.ts';
import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { notFound } from '../shared/errors.ts';
import { isIdCursor, pageOf } from '../shared/paging.ts';
import { toInvoiceDto, toInvoiceLineDto } from './dto.ts';
import type { ListInvoicesInput } from './schemas.ts';
import { findInvoice } from './store.ts';

const STAFF = ['admin', 'dispatcher'] as const;
const likeContaining = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const isPosCursor = (v: unknown): v is { pos: number } => typeof (v as { pos?: unknown })?.pos === 'number';

/** Issued invoices and credit notes, newest first, filtered; keyset pages. */
export async function listInvoices(deps: Deps, p: Principal, q: ListInvoicesInput) {
  requireRole(p, ...STAFF);
  const after = decodeCursor(q.cursor, isIdCursor);
  let query = deps.db.kysely.selectFrom('invoices').selectAll().where('org_id', '=', p.orgId);
  if (q.clientId) query = query.where('client_id', '=', q.clientId);
  if (q.taskId) query = query.where('task_id', '=', q.taskId);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.from) query = query.where('issue_date', '>=', q.from);
  if (q.to) query = query.where('issue_date', '<=', q.to);
  if (q.q) query = query.where(sql<SqlBool>`lower(number) like ${likeContaining(q.q)} escape '\\'`);
  if (q.status === 'credited') query = query.where('kind', '=', 'invoice').where('credit_note_id', 'is not', null);
  else if (q.status) query = query.where('kind', '=', 'invoice').where('credit_note_id', 'is', null).where('payment_status', '=', q.status);
  if (after) query = query.where('id', '<', after.id);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return pageOf(rows, q.limit, toInvoiceDto, (r) => ({ id: r.id }));
}

/** One invoice: header, totals and the first page of its lines. */
export async function getInvoice(deps: Deps, p: Principal, id: string, linesLimit = 100) {
  requireRole(p, ...STAFF);
  const row = await findInvoice(deps.db.kysely, p.orgId, id);
  if (!row) throw notFound('invoice', id);
  return { ...toInvoiceDto(row), lines: await linesPage(deps.db.kysely, p.orgId, id, undefined, linesLimit) };
}

/** A page of an invoice's frozen lines, in order. */
export async function listInvoiceLines(deps: Deps, p: Principal, id: string, limit: number, cursor?: string) {
  requireRole(p, ...STAFF);
  const db = deps.db.kysely;
  if (!(await db.selectFrom('invoices').select('id').where('org_id', '=', p.orgId).where('id', '=', id).executeTakeFirst())) throw notFound('invoice', id);
  return linesPage(db, p.orgId, id, decodeCursor(cursor, isPosCursor)?.pos, limit);
}

async function linesPage(db: Executor, orgId: string, invoiceId: string, afterPos: number | undefined, limit: number) {
  let q = db.selectFrom('invoice_lines').selectAll().where('org_id', '=', orgId).where('invoice_id', '=', invoiceId);
  if (afterPos !== undefined) q = q.where('position', '>', afterPos);
  const rows = await q
    .orderBy('position')
    .limit(limit + 1)
    .execute();
  return pageOf(rows, limit, toInvoiceLineDto, (r) => ({ pos: Number(r.position) }));
}
