import { localParts, type LocalDate } from '../../shared/calendar.ts';

/** Variables a created task's title and description may use. */
export const TASK_TEMPLATE_VARIABLES = [
  'client.name',
  'task.number',
  'task.title',
  'period.month_name',
  'period.year',
  'period.next.month_name',
  'period.next.year',
] as const;
export type TaskTemplateVariable = (typeof TASK_TEMPLATE_VARIABLES)[number];
export type TaskTemplateValues = Partial<Record<TaskTemplateVariable, string>>;

const VARIABLE = /\{([^{}\s]+)\}/g;
const known = new Set<string>(TASK_TEMPLATE_VARIABLES);

/** Names between braces that are not variables (refused when the rule is saved). */
export const unknownTaskVariables = (text: string) => [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1]).filter((n) => !known.has(n)))];

/** Fills the variables; a missing value renders empty. */
export const fillTaskTemplate = (text: string, values: TaskTemplateValues) =>
  text.replace(VARIABLE, (whole, name: string) => (known.has(name) ? (values[name as TaskTemplateVariable] ?? '') : whole));

const monthNames = new Map<string, Intl.DateTimeFormat>();
/** "mars", "March": the month's name in the language, as written inside a sentence. */
export function monthName(month: LocalDate, language: 'fr' | 'en'): string {
  let f = monthNames.get(language);
  if (!f) monthNames.set(language, (f = new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' })));
  return f.format(new Date(Date.UTC(month.year, month.month - 1, 1)));
}

/** {period.*}: the month of `moment` in the organization's time zone, and the month after it. */
export function periodValues(moment: Date, timeZone: string, language: 'fr' | 'en'): TaskTemplateValues {
  const now = localParts(moment, timeZone);
  const next = now.month === 12 ? { year: now.year + 1, month: 1, day: 1 } : { year: now.year, month: now.month + 1, day: 1 };
  return {
    'period.month_name': monthName(now, language),
    'period.year': String(now.year),
    'period.next.month_name': monthName(next, language),
    'period.next.year': String(next.year),
  };
}
