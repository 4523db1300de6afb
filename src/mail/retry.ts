import { requireRole, type Principal } from '../accounts/principal.ts';
import type { Deps } from '../deps.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { findEmailRow, toEmailDto } from './emails.ts';
import type { EmailDto } from './schemas.ts';

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
  if (Number(res.numUpdatedRows) !== 1) throw conflict('email_not_failed', `only a failed email can be retried; this one is ${row.state}`, { state: row.state });
  return toEmailDto(row);
}
