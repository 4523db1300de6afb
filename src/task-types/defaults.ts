import type { Workflow } from './workflow.ts';

export interface TaskTypeSeed {
  key: string;
  label: { fr: string; en: string };
  prefix: string;
  billing: boolean;
  workflow: Workflow;
}

const s = (key: string, fr: string, en: string, category: Workflow['statuses'][number]['category']) => ({
  key,
  label: { fr, en },
  category,
});
const t = (from: string, to: string) => ({ from, to });

/** Field work: to do → scheduled → in progress → completed, with cancel and reopen. */
export const WORK_WORKFLOW: Workflow = {
  initial: 'todo',
  statuses: [
    s('todo', 'À faire', 'To do', 'open'),
    s('scheduled', 'Planifiée', 'Scheduled', 'open'),
    s('in_progress', 'En cours', 'In progress', 'active'),
    s('completed', 'Terminée', 'Completed', 'done'),
    s('cancelled', 'Annulée', 'Cancelled', 'cancelled'),
  ],
  transitions: [
    t('todo', 'scheduled'),
    t('todo', 'in_progress'),
    t('scheduled', 'todo'),
    t('scheduled', 'in_progress'),
    t('in_progress', 'completed'),
    t('in_progress', 'scheduled'),
    t('todo', 'completed'),
    t('scheduled', 'completed'),
    t('todo', 'cancelled'),
    t('scheduled', 'cancelled'),
    t('in_progress', 'cancelled'),
    t('completed', 'in_progress'), // reopen
    t('cancelled', 'todo'), // reopen
  ],
};

/**
 * Invoice container: open → closed → sent → paid; an open one can be cancelled. Closing issues
 * the invoice; only a credit note cancels a closed or sent task (a paid one keeps its status),
 * so no transition offers it. Entering "paid" marks the invoice paid, and marking the payment
 * moves the task to "paid".
 */
export const INVOICE_WORKFLOW: Workflow = {
  initial: 'open',
  statuses: [
    s('open', 'Ouverte', 'Open', 'open'),
    s('closed', 'Fermée', 'Closed', 'done'),
    s('sent', 'Envoyée', 'Sent', 'done'),
    s('paid', 'Payée', 'Paid', 'done'),
    s('cancelled', 'Annulée', 'Cancelled', 'cancelled'),
  ],
  transitions: [t('open', 'closed'), t('closed', 'sent'), t('closed', 'paid'), t('sent', 'paid'), t('open', 'cancelled')],
};

/** The task types a new organization starts with; prefixes follow its language. */
export function defaultTaskTypes(locale: string): TaskTypeSeed[] {
  const fr = locale.startsWith('fr');
  return [
    { key: 'work', label: { fr: 'Travail', en: 'Work' }, prefix: 'T', billing: false, workflow: WORK_WORKFLOW },
    { key: 'invoice', label: { fr: 'Facture', en: 'Invoice' }, prefix: fr ? 'FAC' : 'INV', billing: true, workflow: INVOICE_WORKFLOW },
  ];
}
