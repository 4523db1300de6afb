import { findTaskType } from '../../task-types/index.ts';
import type { TransitionStep } from '../../tasks/index.ts';
import { issueInvoice } from './issue-invoice.ts';

/**
 * Transition step: a billing task entering a done status from an open one is invoiced, in the
 * same transaction (a rollback gives the number back). Runs before the automations, so a rule
 * firing on the same transition (send the invoice by email) already finds it.
 */
export const issueInvoiceOnDone: TransitionStep = async (trx, event, deps) => {
  if (event.toCategory !== 'done' || event.fromCategory === 'done') return;
  const type = await findTaskType(trx, event.task.org_id, event.task.type_id);
  if (!type?.billing) return;
  // Dated on the chain's moment: a person's transition is now; a scheduled close is its
  // occurrence's time, so December's month-end run late, after midnight, is still dated (and
  // numbered) in December.
  await issueInvoice(trx, deps, event.task, event.actor, new Date(event.moment));
};
