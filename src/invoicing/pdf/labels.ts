import type { TaxKind } from '../../billing-math/index.ts';
import { NBSP, type Language } from '../format.ts';

/** Every word the invoice PDF prints, per language. French uses a no-break space before ":" as Quebec typography does. */
export interface Labels {
  invoice: string;
  preview: string;
  creditNote: string;
  credits: (invoiceNumber: string) => string;
  number: string;
  issueDate: string;
  dueDate: string;
  billTo: string;
  task: string;
  gstHst: string;
  qst: string;
  phone: string;
  email: string;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  amount: string;
  work: string;
  exempt: string;
  continued: string;
  completedOn: (date: string) => string;
  employees: string;
  groupSubtotal: (number: string) => string;
  subtotal: string;
  exemptSubtotal: string;
  tax: Record<TaxKind, string>;
  total: string;
  smallSupplier: string;
  paymentTerms: (days: number) => string;
  appendix: string;
  thumbnailUnavailable: string;
  page: (n: number, of: number) => string;
  colon: string;
}

export const LABELS: Record<Language, Labels> = {
  fr: {
    invoice: 'Facture',
    preview: 'APERÇU — non émise',
    creditNote: 'Note de crédit',
    credits: (n) => `Crédite la facture ${n}`,
    number: 'Numéro',
    issueDate: 'Date',
    dueDate: 'Échéance',
    billTo: 'Facturer à',
    task: 'Tâche',
    gstHst: 'TPS/TVH',
    qst: 'TVQ',
    phone: 'Tél.',
    email: 'Courriel',
    description: 'Description',
    quantity: 'Qté',
    unit: 'Unité',
    unitPrice: 'Prix unitaire',
    amount: 'Montant',
    work: 'Travaux',
    exempt: 'exonéré',
    continued: 'suite',
    completedOn: (d) => `Terminée le ${d}`,
    employees: 'Employés',
    groupSubtotal: (n) => `Sous-total ${n}`,
    subtotal: 'Sous-total',
    exemptSubtotal: 'dont exonéré',
    tax: { GST: 'TPS', HST: 'TVH', QST: 'TVQ' },
    total: 'Total',
    smallSupplier: 'Petit fournisseur — aucune taxe perçue',
    paymentTerms: (days) => (days <= 0 ? 'Payable sur réception' : days === 1 ? 'Payable dans 1 jour' : `Payable dans les ${days} jours`),
    appendix: 'Annexe — pièces jointes',
    thumbnailUnavailable: 'aperçu indisponible',
    page: (n, of) => `Page ${n} de ${of}`,
    colon: `${NBSP}:`,
  },
  en: {
    invoice: 'Invoice',
    preview: 'PREVIEW — not issued',
    creditNote: 'Credit note',
    credits: (n) => `Credits invoice ${n}`,
    number: 'Number',
    issueDate: 'Date',
    dueDate: 'Due date',
    billTo: 'Bill to',
    task: 'Task',
    gstHst: 'GST/HST',
    qst: 'QST',
    phone: 'Phone',
    email: 'Email',
    description: 'Description',
    quantity: 'Qty',
    unit: 'Unit',
    unitPrice: 'Unit price',
    amount: 'Amount',
    work: 'Work',
    exempt: 'exempt',
    continued: 'continued',
    completedOn: (d) => `Completed on ${d}`,
    employees: 'Employees',
    groupSubtotal: (n) => `Subtotal ${n}`,
    subtotal: 'Subtotal',
    exemptSubtotal: 'of which exempt',
    tax: { GST: 'GST', HST: 'HST', QST: 'QST' },
    total: 'Total',
    smallSupplier: 'Small supplier — no tax charged',
    paymentTerms: (days) => (days <= 0 ? 'Due on receipt' : days === 1 ? 'Payable within 1 day' : `Payable within ${days} days`),
    appendix: 'Appendix — attachments',
    thumbnailUnavailable: 'preview unavailable',
    page: (n, of) => `Page ${n} of ${of}`,
    colon: ':',
  },
};
