export { issueInvoiceOnDone } from './issue/issue-on-done.ts';
export { issueInvoice } from './issue/issue-invoice.ts';
export { invoiceSummaryForTask, type InvoiceSummary } from './summary.ts';
export { invoicePdfResolver, invoicePdfStream, type InvoicePdf } from './invoice-pdf.ts';
export { loadInvoiceDocument } from './load-document.ts';
export { creditInvoice } from './credit-invoice.ts';
export { markPayment } from './mark-payment.ts';
export { guardIssuedInvoiceTask, syncPaymentWithStatus, PAID_STATUS } from './task-status.ts';
export { DEFAULT_INVOICE_NUMBER_PATTERN, checkNumberPattern } from './number-pattern.ts';
