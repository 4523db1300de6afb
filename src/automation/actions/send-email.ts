import { z } from 'zod';
import { mailAddressOf } from '../../config.ts';
import {
  DEFAULT_MAX_TOTAL_BYTES,
  notAttachedNote,
  oneLine,
  pickTaskFiles,
  renderTemplate,
  resolveRecipients,
  taskEmailContext,
  TEMPLATE_VARIABLES,
  unknownVariables,
  type AttachmentRef,
  type EmailPayload,
  type TaskFilesChoice,
} from '../../mail/index.ts';
import { enqueue } from '../../outbox/index.ts';
import { conflict, invalid } from '../../shared/errors.ts';
import { findTaskRow } from '../../tasks/index.ts';
import { defineAction } from './registry.ts';

type Template = { subject: string; body: string };
type Params = {
  to: { clientBilling?: boolean; assignees?: boolean; addresses?: string[] };
  templates: { fr: Template; en: Template };
  attach?: { invoicePdf?: boolean; taskFiles?: TaskFilesChoice; maxTotalBytes?: number };
};

const TemplateSchema = z.strictObject({ subject: z.string().trim().min(1).max(300), body: z.string().min(1).max(20_000) });
const variables = `variables: ${TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(' ')}`;

/** Queues an email about the task, in its client's language; the outbox worker sends it after commit. */
export const sendEmailAction = defineAction<Params>({
  type: 'send_email',
  summary: "Email the client's billing addresses, the assignees or given addresses (sent after the transition commits)",
  params: z.strictObject({
    to: z
      .strictObject({
        clientBilling: z.boolean().optional(),
        assignees: z.boolean().optional(),
        addresses: z.array(z.email().max(254)).max(20).optional(),
      })
      .refine((t) => t.clientBilling || t.assignees || (t.addresses?.length ?? 0) > 0, {
        message: 'choose at least one of clientBilling, assignees or addresses',
      }),
    templates: z.strictObject({ fr: TemplateSchema, en: TemplateSchema }).describe(`Plain text, picked by the client's language (fr by default); ${variables}`),
    attach: z
      .strictObject({
        invoicePdf: z.boolean().optional().describe("The task's issued invoice as a PDF"),
        taskFiles: z.enum(['none', 'attachments', 'photos', 'all']).optional(),
        maxTotalBytes: z
          .number()
          .int()
          .min(1)
          .max(50 * 1024 * 1024)
          .optional()
          .describe('Cap on task files (default 15 MB); files beyond it are listed in the text'),
      })
      .optional(),
  }),
  async validate(_ctx, p) {
    for (const lang of ['fr', 'en'] as const) {
      for (const part of ['subject', 'body'] as const) {
        const unknown = unknownVariables(p.templates[lang][part]);
        if (unknown.length) {
          throw invalid('unknown_template_variable', `unknown variable ${unknown.map((v) => `{${v}}`).join(', ')}; ${variables}`, {
            field: `templates.${lang}.${part}`,
            unknown,
            known: TEMPLATE_VARIABLES,
          });
        }
      }
    }
  },
  async run({ trx, deps, event, rule }, p) {
    const task = (await findTaskRow(trx, event.task.org_id, event.task.id)) ?? event.task;
    const ctx = await taskEmailContext(trx, deps, task);
    const to = await resolveRecipients(trx, task, ctx.client, p.to);
    // Nobody to write to (say, a client with no billing email) is not a reason to refuse the
    // transition — a month-end close must not fail for it: the step is skipped, and the run log says why.
    if (to.length === 0) return { outcome: 'skipped', detail: { reason: 'no_recipients', to: p.to } };

    const attachments: AttachmentRef[] = [];
    if (p.attach?.invoicePdf) {
      if (!deps.invoiceSummaryFor || !deps.attachmentResolvers.invoice_pdf) {
        throw conflict('invoice_pdf_unavailable', 'this server cannot attach invoice PDFs (invoicing is not installed)');
      }
      if (!ctx.invoice) throw conflict('invoice_not_found', 'the task has no issued invoice to attach', { taskId: task.id });
      attachments.push({ kind: 'invoice_pdf', invoiceId: ctx.invoice.invoiceId });
    }
    const cap = p.attach?.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
    const files = await pickTaskFiles(trx, task.org_id, task.id, p.attach?.taskFiles ?? 'none', cap);
    attachments.push(...files.refs);

    const template = p.templates[ctx.language];
    const payload: EmailPayload = {
      to,
      subject: oneLine(renderTemplate(template.subject, ctx.values)),
      text: renderTemplate(template.body, ctx.values) + notAttachedNote(files.left, cap, ctx.language),
      language: ctx.language,
      attachments,
      notAttached: files.left,
      ruleId: rule.id,
    };
    const queued = await enqueue(trx, {
      orgId: task.org_id,
      kind: 'email',
      taskId: task.id,
      payload,
      messageDomain: mailAddressOf(deps.config.mailFrom)!.split('@')[1],
      at: deps.clock.now(),
    });
    return {
      outcome: 'done',
      taskAsIs: true, // an outbox row only
      detail: { outboxId: queued.id, messageId: queued.messageId, recipients: to.length, attachments: attachments.length, notAttached: files.left.length },
    };
  },
});
