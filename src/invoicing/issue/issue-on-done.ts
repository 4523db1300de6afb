import { findTaskType } from '../../task-types/index.ts';
import type { TransitionHook } from '../../tasks/index.ts';
import { issueInvoice } from './issue-invoice.ts';

/**
 * Transition hook: a billing task entering a done status from an open one is invoiced, in the
 * same transaction (a rollback gives the number back). Runs before the automations, so a rule
 * firing on the same transition (send the invoice by email) already finds it.
 */
export const issueInvoiceOnDone: TransitionHook = async (trx, event, deps) => {
  if (event.toCategory !== 'done' || event.fromCategory === 'done') return;
  const type = await findTaskType(trx, event.task.org_id, event.task.type_id);
  if (!type?.billing) return;
  await issueInvoice(trx, deps, event.task, event.actor);
};
