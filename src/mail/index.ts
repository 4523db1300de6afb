export type { AttachmentKind, AttachmentRef, AttachmentResolver, AttachmentResolvers, EmailPayload, ResolveContext, ResolvedAttachment } from './delivery.ts';
export { emailDeliverer, resolveAttachments, taskAttachmentResolver } from './delivery.ts';
export { mailTransport, emlFileName, type MailTransport } from './transport.ts';
export type { InvoiceSummary, InvoiceSummaryLookup, TaskEmailContext, TaskFilesChoice, TemplateValues, TemplateVariable } from './compose.ts';
export {
  TEMPLATE_VARIABLES,
  renderTemplate,
  unknownVariables,
  oneLine,
  formatMoney,
  formatSize,
  taskEmailContext,
  pickTaskFiles,
  DEFAULT_MAX_TOTAL_BYTES,
  notAttachedNote,
} from './compose.ts';
export { resolveRecipients, type RecipientChoice } from './recipients.ts';
export { emailRoutes } from './routes.ts';
