export const DEFAULT_ATTACHMENT_PATTERN = '{task.number} – {file.name}';

/**
 * The name a consolidated attachment is shown under, from the rule's pattern: the sub-task's
 * number keeps a main task with hundreds of files readable. Unknown variables stay as written.
 */
export function attachmentDisplayName(pattern: string, task: { number: string; title: string }, fileName: string): string {
  const vars: Record<string, string> = { 'task.number': task.number, 'task.title': task.title, 'file.name': fileName };
  const name = pattern.replace(/\{([a-z.]+)\}/g, (whole, key: string) => vars[key] ?? whole);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes from file names
  return name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(0, 255) || fileName;
}
