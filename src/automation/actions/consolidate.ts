import { z } from 'zod';
import { consolidateTask } from '../../consolidation/consolidate.ts';
import { DEFAULT_ATTACHMENT_PATTERN } from '../../consolidation/naming.ts';
import { invalid } from '../../shared/errors.ts';
import { findTaskType } from '../../task-types/index.ts';
import { defineAction } from './registry.ts';

type Params = {
  target: 'parent' | 'client_open_invoice';
  invoiceTypeId?: string;
  attachmentNamePattern?: string;
  completeTargetWhenDone?: boolean;
};

/** Moves the completed task's lines, attachments and notes to its main task or open invoice. */
export const consolidateAction = defineAction<Params>({
  type: 'consolidate',
  summary: "Consolidate the task's content into its main task (parent) or its client's open invoice task",
  params: z.strictObject({
    target: z.enum(['parent', 'client_open_invoice']),
    invoiceTypeId: z.uuid().optional().describe('The billing task type (required for client_open_invoice)'),
    attachmentNamePattern: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(`Name shown for consolidated attachments; variables {task.number} {task.title} {file.name}. Default "${DEFAULT_ATTACHMENT_PATTERN}"`),
    completeTargetWhenDone: z.boolean().optional().describe('Complete the target once none of its sub-tasks is open'),
  }),
  async validate({ trx, orgId }, p) {
    if (p.target !== 'client_open_invoice') return;
    if (!p.invoiceTypeId) throw invalid('invoice_type_required', 'client_open_invoice needs invoiceTypeId', { field: 'invoiceTypeId' });
    const type = await findTaskType(trx, orgId, p.invoiceTypeId);
    if (!type) throw invalid('task_type_not_found', 'the rule names task types that do not exist', { ids: [p.invoiceTypeId], field: 'invoiceTypeId' });
    if (!type.billing) throw invalid('invoice_type_not_billing', 'invoiceTypeId must name a billing task type', { field: 'invoiceTypeId' });
  },
  async run({ trx, deps, event, rule }, p) {
    // consolidateTask reads the task again under its lock: an earlier step may have changed it.
    return consolidateTask(trx, deps, event.task, p, { ruleId: rule.id, depth: event.depth });
  },
});
