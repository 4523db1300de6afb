import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Provenance } from '../db/schema.ts';
import { Id, Timestamp } from '../http/schemas.ts';

/** Where consolidated content was first entered (null on content entered on the task itself). */
export const SourceSchema = z
  .object({
    taskId: Id,
    number: z.string().describe('Display number of the task it was entered on, e.g. T-1042'),
    title: z.string(),
    completedAt: Timestamp.nullable(),
    assignees: z.array(z.object({ id: Id, name: z.string() })),
    consolidationId: Id,
  })
  .nullable();
export type SourceDto = z.infer<typeof SourceSchema>;

type ProvenanceColumns = Partial<Selectable<Provenance>>;

/** The provenance of a row as the API shows it. Rows built for insert carry none: null. */
export function sourceOf(r: ProvenanceColumns): SourceDto {
  if (!r.origin_task_id) return null;
  return {
    taskId: r.origin_task_id,
    number: r.origin_task_number ?? '',
    title: r.origin_task_title ?? '',
    completedAt: r.origin_completed_at ?? null,
    assignees: r.origin_assignees ? JSON.parse(r.origin_assignees) : [],
    consolidationId: r.consolidation_id ?? '',
  };
}
