import type { DemoRule } from '../script.ts';

const invoiceEmail = {
  fr: {
    subject: 'Facture {invoice.number} — {client.name}',
    body: 'Bonjour,\n\nVoici la facture {invoice.number} ({task.title}), d’un total de {invoice.total}, en pièce jointe.\n\nMerci de votre confiance,\nExcavation Martin & Fibre Kim\n',
  },
  en: {
    subject: 'Invoice {invoice.number} — {client.name}',
    body: 'Hello,\n\nPlease find attached invoice {invoice.number} ({task.title}), for a total of {invoice.total}.\n\nThank you for your business,\nExcavation Martin & Fibre Kim\n',
  },
};

/**
 * The founding document's two consolidations, and Kim's month: close at month-end, email the
 * issued invoice, open next month's. Rules on the same transition fire in this order, after the
 * closing has issued the invoice: the email (with the invoice's number and PDF), then next month's task.
 */
export const automations: DemoRule[] = [
  {
    key: 'by-project',
    builtIn: 'consolidate_by_project',
    actionChanges: { completeTargetWhenDone: true },
    summary: "a completed sub-task's lines, notes and files go to its main task; the main task completes with its last sub-task",
  },
  {
    key: 'progressive',
    builtIn: 'progressive_billing',
    summary: "a client's completed work task goes into the client's open Invoice task (or waits as unbilled)",
  },
  {
    key: 'month-end',
    summary: 'last day of the month, 17:00 (America/Toronto): closes every open Invoice task that has lines',
    body: {
      name: 'Month-end: close the invoices',
      enabled: true,
      trigger: {
        type: 'schedule',
        schedule: { kind: 'monthly', day: 'last', time: '17:00' },
        target: { taskTypeIds: ['@type:invoice'], statusCategory: 'open', hasContent: true },
      },
      actions: [{ id: 'close', type: 'transition_task', to: 'closed' }],
    },
  },
  {
    key: 'email-invoice',
    summary: "an Invoice task closed (its invoice issued): email with the PDF to the client's billing addresses, in the client's language",
    body: {
      name: 'Email the issued invoice',
      enabled: true,
      trigger: { type: 'status_entered', status: 'closed', taskTypeIds: ['@type:invoice'] },
      actions: [{ id: 'email', type: 'send_email', to: { clientBilling: true }, templates: invoiceEmail, attach: { invoicePdf: true } }],
    },
  },
  {
    key: 'next-invoice',
    summary: "Réseau Boréal's Invoice task closed: creates next month's Invoice task for the client",
    body: {
      name: "Next month's invoice (monthly clients)",
      enabled: true,
      trigger: { type: 'status_entered', status: 'closed', taskTypeIds: ['@type:invoice'] },
      // Monthly billing is Réseau Boréal's arrangement; a one-off client (Martin's) gets no next invoice.
      conditions: { clientIds: ['@client:boreal'] },
      actions: [
        {
          id: 'next-month',
          type: 'create_task',
          typeId: '@type:invoice',
          title: 'Facture {client.name} — {period.next.month_name} {period.next.year}',
          description: 'Facturation mensuelle du déploiement de fibre : regroupe les installations terminées en {period.next.month_name} {period.next.year}.',
        },
      ],
    },
  },
];
