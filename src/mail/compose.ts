import type { Executor } from '../db/index.ts';
import type { ClientsTable } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import type { TaskRow } from '../tasks/store.ts';
import { findTaskType } from '../task-types/store.ts';
import type { AttachmentRef } from './delivery.ts';

/**
 * Composing an email: the template variables and how they are filled from a task, money and
 * sizes in the email's language, which of the task's files to attach under the size cap, and
 * the note listing those left out. Nothing here sends anything (see delivery.ts).
 */

/** The variables an email template may use, e.g. "Facture {invoice.number} — {task.title}". */
export const TEMPLATE_VARIABLES = ['client.name', 'task.number', 'task.title', 'invoice.number', 'invoice.total', 'link'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Partial<Record<TemplateVariable, string>>;

const VARIABLE = /\{([^{}\s]+)\}/g;
const known = new Set<string>(TEMPLATE_VARIABLES);

/** Names between braces that are not variables (refused when a rule is saved). */
export function unknownVariables(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1]).filter((name) => !known.has(name)))];
}

/** Fills the variables; a value that is missing renders empty. */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(VARIABLE, (whole, name: string) => (known.has(name) ? (values[name as TemplateVariable] ?? '') : whole));
}

/** A subject is one line: values cannot break it into headers. */
export const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

/** Money for people, in the email's language: fr "1 234,56 $", en "$1,234.56" (exact: no float). */
export function formatMoney(cents: number, currency: string, language: 'fr' | 'en'): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const decimal = `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  const format = new Intl.NumberFormat(language === 'fr' ? 'fr-CA' : 'en-CA', { style: 'currency', currency });
  // Intl formats a decimal string exactly (no binary float in between).
  return format.format(decimal as unknown as number);
}

/** A file size for people: fr "2,1 Mo", en "2.1 MB". */
export function formatSize(bytes: number, language: 'fr' | 'en'): string {
  const units = language === 'fr' ? ['o', 'ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u += 1;
  }
  const text = new Intl.NumberFormat(language === 'fr' ? 'fr-CA' : 'en-CA', { maximumFractionDigits: u === 0 ? 0 : 1 }).format(n);
  return `${text} ${units[u]}`;
}

/** What an email needs of a task's issued invoice: its {invoice.*} variables and the PDF to attach. */
export interface InvoiceSummary {
  /** Passed back to the `invoice_pdf` attachment resolver at delivery time. */
  invoiceId: string;
  number: string;
  totalCents: number;
  currency: string;
}

/**
 * The invoice issued for a task, or null when it has none. Provided by the invoicing module
 * (`deps.invoiceSummaryFor`); it runs inside the transition's transaction, so it sees an
 * invoice issued by an earlier action of the same transition.
 */
export type InvoiceSummaryLookup = (trx: Executor, orgId: string, taskId: string) => Promise<InvoiceSummary | null>;

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

export type TaskFilesChoice = 'none' | 'attachments' | 'photos' | 'all';
export const DEFAULT_MAX_TOTAL_BYTES = 15 * 1024 * 1024;

export interface PickedFiles {
  refs: AttachmentRef[];
  /** Files that did not fit under the cap, to list in the text. */
  left: { name: string; size: number }[];
}

/**
 * The task's files to attach, oldest first, each taken while the total stays under the cap
 * (a file that does not fit is left out; smaller ones after it may still fit).
 * 'attachments' means documents, 'photos' photos, 'all' both.
 */
export async function pickTaskFiles(trx: Executor, orgId: string, taskId: string, which: TaskFilesChoice, maxTotalBytes: number): Promise<PickedFiles> {
  if (which === 'none') return { refs: [], left: [] };
  let q = trx.selectFrom('attachments').select(['id', 'file_name', 'display_name', 'size']).where('org_id', '=', orgId).where('task_id', '=', taskId);
  if (which !== 'all') q = q.where('kind', '=', which === 'photos' ? 'photo' : 'document');
  const rows = await q.orderBy('id').execute();
  const out: PickedFiles = { refs: [], left: [] };
  let total = 0;
  for (const r of rows) {
    const size = Number(r.size);
    if (total + size <= maxTotalBytes) {
      total += size;
      out.refs.push({ kind: 'attachment', attachmentId: r.id });
    } else out.left.push({ name: r.display_name ?? r.file_name, size });
  }
  return out;
}

/** The paragraph that lists files left out by the size cap, in the email's language. */
export function notAttachedNote(left: { name: string; size: number }[], maxTotalBytes: number, language: 'fr' | 'en'): string {
  if (left.length === 0) return '';
  const cap = formatSize(maxTotalBytes, language);
  const head = language === 'fr' ? `Fichiers non joints (taille totale limitée à ${cap}) :` : `Files not attached (total size limited to ${cap}):`;
  return `\n\n${head}\n${left.map((f) => `- ${f.name} (${formatSize(f.size, language)})`).join('\n')}\n`;
}
