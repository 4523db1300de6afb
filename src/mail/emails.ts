import type { z } from 'zod';
import { requireRole, type Principal } from '../accounts/principal.ts';
import type { Deps } from '../deps.ts';
import type { OutboxRow } from '../outbox/index.ts';
import { decodeCursor } from '../shared/cursor.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { isIdCursor, pageOf } from '../shared/paging.ts';
import type { EmailPayload } from './delivery.ts';
import type { EmailDto, ListEmailsQuery } from './schemas.ts';

/** Emails of the organization, newest first (admins and dispatchers). */
export async function listEmails(deps: Deps, p: Principal, q: z.output<typeof ListEmailsQuery>) {
  requireRole(p, 'admin', 'dispatcher');
  const before = decodeCursor(q.cursor, isIdCursor);
  let query = deps.db.kysely.selectFrom('outbox').selectAll().where('org_id', '=', p.orgId).where('kind', '=', 'email');
  if (q.state) query = query.where('state', '=', q.state);
  if (q.taskId) query = query.where('task_id', '=', q.taskId);
  if (before) query = query.where('id', '<', before.id);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return pageOf(
    rows,
    q.limit,
    (r) => toEmailDto(r),
    (r) => ({ id: r.id }),
  );
}

/** One email, with its text. Another organization's email is not found. */
export async function getEmail(deps: Deps, p: Principal, id: string): Promise<EmailDto & { text: string }> {
  requireRole(p, 'admin', 'dispatcher');
  const row = await findEmailRow(deps, p.orgId, id);
  if (!row) throw notFound('email', id);
  return { ...toEmailDto(row), text: (JSON.parse(row.payload) as EmailPayload).text };
}

/** Puts a failed email back in the queue with its attempts reset (same Message-ID). */
export async function retryEmail(deps: Deps, p: Principal, id: string): Promise<EmailDto> {
  requireRole(p, 'admin', 'dispatcher');
  const now = deps.clock.now().toISOString();
  // Conditional update: two retries at once, or a retry racing the worker, change it once.
  const res = await deps.db.kysely
    .updateTable('outbox')
    .set({ state: 'pending', attempts: 0, next_attempt_at: now, locked_by: null, locked_until: null, updated_at: now })
    .where('org_id', '=', p.orgId)
    .where('kind', '=', 'email')
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  const row = await findEmailRow(deps, p.orgId, id);
  if (!row) throw notFound('email', id);
  if (Number(res.numUpdatedRows) !== 1)
    throw conflict('email_not_failed', `only a failed email can be retried; this one is ${row.state}`, { state: row.state });
  return toEmailDto(row);
}

export const findEmailRow = (deps: Deps, orgId: string, id: string) =>
  deps.db.kysely.selectFrom('outbox').selectAll().where('org_id', '=', orgId).where('kind', '=', 'email').where('id', '=', id).executeTakeFirst();

export function toEmailDto(r: OutboxRow): EmailDto {
  const e = JSON.parse(r.payload) as EmailPayload;
  return {
    id: r.id,
    taskId: r.task_id,
    ruleId: e.ruleId ?? null,
    to: e.to,
    subject: e.subject,
    language: e.language,
    state: r.state,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    lastError: r.last_error,
    messageId: r.message_id,
    attachments: e.attachments,
    notAttached: e.notAttached ?? [],
    nextAttemptAt: r.state === 'pending' ? r.next_attempt_at : null,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}
