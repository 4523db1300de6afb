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
