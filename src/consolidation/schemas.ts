import { z } from 'zod';
import { TotalsSchema } from '../billing-math/index.ts';
import { Id, PageQuery, Timestamp } from '../http/schemas.ts';
import { LineSchema } from '../task-content/schemas.ts';

/** Where consolidated content was first entered. */
export const OriginSchema = z.object({
  taskId: Id,
  number: z.string().describe('Display number of the task it was entered on, e.g. T-1042'),
  title: z.string(),
  completedAt: Timestamp.nullable(),
  assignees: z.array(z.object({ id: Id, name: z.string() })),
});
export type OriginDto = z.infer<typeof OriginSchema>;

export const InvoiceViewSchema = z.object({
  task: z.object({ id: Id, displayNumber: z.string(), title: z.string(), status: z.string() }),
  client: z.object({ id: Id, name: z.string(), taxRegion: z.string(), language: z.string() }).nullable(),
  currency: z.string(),
  taxDate: z.string().describe('The date whose tax rates apply (completion date, else today)'),
  groups: z
    .array(
      z.object({
        source: OriginSchema.nullable().describe("null: the task's own lines"),
        subtotalCents: z.number().int().describe('All lines of this group, not only this page'),
        lines: z.array(LineSchema),
      }),
    )
    .describe("This page's lines: the task's own first, then consolidated ones grouped by source task"),
  totals: TotalsSchema.nullable().describe('For the whole task, every page included: on the first page (no cursor); null on the pages after it'),
  nextCursor: z.string().nullable(),
});

export const InvoiceQuery = z.strictObject({ ...PageQuery, limit: z.coerce.number().int().min(1).max(1000).default(200) });

export const UnbilledSchema = z.object({
  items: z.array(
    z.object({
      consolidationId: Id,
      task: z.object({ id: Id, displayNumber: z.string(), title: z.string(), completedAt: Timestamp.nullable() }),
      subtotalCents: z.number().int(),
      lines: z.array(LineSchema),
    }),
  ),
  subtotalCents: z.number().int().describe('Everything pending for the client'),
  nextCursor: z.string().nullable(),
});
