import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { findTaskType } from '../task-types/index.ts';
import type { TaskDto } from '../tasks/schemas.ts';
import { assigneesOf, findTaskRow, toTaskDto } from '../tasks/store.ts';

/** What a webhook's outbox row holds: the exact body to send; the URL and secret are the rule's at delivery. */
export interface WebhookRowPayload {
  eventId: string;
  type: WebhookEventType;
  ruleId: string;
  actionId: string;
  body: string;
}

export type WebhookEventType = 'task.status_entered' | 'task.scheduled';

/** The JSON event a webhook POSTs. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  orgId: string;
  ruleId: string;
  actionId: string;
  task: TaskDto;
  /** The transition that fired the rule (null for a scheduled rule). */
  transition: { from: string; to: string } | null;
  /** The scheduled occurrence that fired the rule (null for a transition). */
  occurrenceAt: string | null;
  /** The task's issued invoice, when it has one (and invoicing is installed). */
  invoice: { id: string; number: string; totalCents: number; currency: string } | null;
}

/** The task as the API shows it, read inside the caller's transaction. */
export async function taskDtoIn(trx: Executor, orgId: string, taskId: string): Promise<TaskDto | null> {
  const row = await findTaskRow(trx, orgId, taskId);
  if (!row) return null;
  const type = (await findTaskType(trx, orgId, row.type_id))!;
  const assignees = (await assigneesOf(trx, orgId, [taskId])).get(taskId) ?? [];
  const client = row.client_id
    ? await trx.selectFrom('clients').select('name').where('org_id', '=', orgId).where('id', '=', row.client_id).executeTakeFirst()
    : undefined;
  return toTaskDto(row, type, assignees, client?.name);
}

/** The invoice part of the event, through the lookup invoicing registers (absent: null). */
export async function invoiceOf(trx: Executor, deps: Deps, orgId: string, taskId: string): Promise<WebhookEvent['invoice']> {
  const s = await deps.invoiceSummaryFor?.(trx, orgId, taskId);
  return s ? { id: s.invoiceId, number: s.number, totalCents: s.totalCents, currency: s.currency } : null;
}
