import type { Executor } from '../db/index.ts';
import type { ClientsTable } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import type { TaskRow } from '../tasks/store.ts';
import { findTaskType } from '../task-types/store.ts';
import { formatMoney } from './format.ts';
import type { InvoiceSummary } from './invoice-summary.ts';
import type { TemplateValues } from './template.ts';

export interface TaskEmailContext {
  language: 'fr' | 'en';
  client: ClientsTable | undefined;
  invoice: InvoiceSummary | null;
  values: TemplateValues;
}

/** What a task's email is written from: the client's language (fr by default) and the variables. */
export async function taskEmailContext(trx: Executor, deps: Deps, task: TaskRow): Promise<TaskEmailContext> {
  const client = task.client_id
    ? await trx.selectFrom('clients').selectAll().where('org_id', '=', task.org_id).where('id', '=', task.client_id).executeTakeFirst()
    : undefined;
  const language = client?.language === 'en' ? 'en' : 'fr';
  const type = await findTaskType(trx, task.org_id, task.type_id);
  const invoice = (await deps.invoiceSummaryFor?.(trx, task.org_id, task.id)) ?? null;
  return {
    language,
    client,
    invoice,
    values: {
      'client.name': client?.name,
      'task.number': type ? `${type.prefix}-${task.number}` : String(task.number),
      'task.title': task.title,
      'invoice.number': invoice?.number,
      'invoice.total': invoice ? formatMoney(invoice.totalCents, invoice.currency, language) : undefined,
      link: `${deps.config.publicUrl.replace(/\/+$/, '')}/tasks/${task.id}`,
    },
  };
}
