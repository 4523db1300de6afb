import type { InvoiceView, Line } from '../api/types.ts';

export type Group = InvoiceView['groups'][number];

/**
 * The loaded pages of the invoice view as one list of groups: a group cut by a page boundary
 * continues on the next page under the same source, and is joined back here.
 */
export function mergeGroups(pages: InvoiceView[]): { own: Line[]; consolidated: Group[] } {
  const own: Line[] = [];
  const bySource = new Map<string, Group>();
  for (const page of pages) {
    for (const g of page.groups) {
      if (!g.source) {
        own.push(...g.lines);
        continue;
      }
      const key = g.source.taskId;
      const prev = bySource.get(key);
      if (prev) prev.lines.push(...g.lines);
      else bySource.set(key, { ...g, lines: [...g.lines] });
    }
  }
  return { own, consolidated: [...bySource.values()] };
}
