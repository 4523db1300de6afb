import type { Executor } from '../db/index.ts';
import { newId } from '../shared/ids.ts';
import type { OutboxKind } from './types.ts';

export const DEFAULT_MAX_ATTEMPTS = 8;

export interface NewOutboxRow {
  orgId: string;
  kind: OutboxKind;
  payload: unknown;
  /** The task it is about, when there is one (the emails list filters on it). */
  taskId?: string | null;
  maxAttempts?: number;
  /** Domain of the stable Message-ID, `<id@domain>` (the sender's domain). */
  messageDomain: string;
  at: Date;
}

/**
 * Queues an outside effect. MUST be called inside the caller's transaction: nothing is sent
 * before it commits, and a rollback leaves no row. The worker delivers it after commit.
 */
export async function enqueue(trx: Executor, row: NewOutboxRow): Promise<{ id: string; messageId: string }> {
  if (!trx.isTransaction) throw new Error('enqueue MUST run inside the transaction of the change it belongs to');
  const id = newId(row.at.getTime());
  const messageId = `<${id}@${row.messageDomain}>`;
  const now = row.at.toISOString();
  await trx
    .insertInto('outbox')
    .values({
      id,
      org_id: row.orgId,
      kind: row.kind,
      task_id: row.taskId ?? null,
      payload: JSON.stringify(row.payload),
      state: 'pending',
      attempts: 0,
      max_attempts: row.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      next_attempt_at: now,
      last_error: null,
      message_id: messageId,
      locked_by: null,
      locked_until: null,
      created_at: now,
      updated_at: now,
      sent_at: null,
    })
    .execute();
  return { id, messageId };
}
