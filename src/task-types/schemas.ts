import { z } from 'zod';
import { Id, Label, Timestamp } from '../http/schemas.ts';
import { STATUS_CATEGORIES } from './workflow.ts';

const StatusKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a lower-case key: letters, digits, _');

export const WorkflowSchema = z.strictObject({
  initial: StatusKey,
  statuses: z
    .array(z.strictObject({ key: StatusKey, label: Label, category: z.enum(STATUS_CATEGORIES) }))
    .min(1)
    .max(50),
  transitions: z.array(z.strictObject({ from: StatusKey, to: StatusKey })).max(500),
});

export const TaskTypeSchema = z.object({
  id: Id,
  key: z.string(),
  label: z.object({ fr: z.string(), en: z.string() }),
  prefix: z.string(),
  billing: z.boolean(),
  workflow: WorkflowSchema,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
});
export type TaskTypeDto = z.infer<typeof TaskTypeSchema>;

export const CreateTaskTypeBody = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a lower-case key: letters, digits, _ or -'),
  label: Label,
  prefix: z.string().regex(/^[A-Z][A-Z0-9]{0,5}$/, '1 to 6 capital letters or digits'),
  billing: z.boolean().default(false),
  workflow: WorkflowSchema,
});

export const UpdateTaskTypeBody = z.strictObject({
  label: Label.optional(),
  prefix: z
    .string()
    .regex(/^[A-Z][A-Z0-9]{0,5}$/)
    .optional(),
  billing: z.boolean().optional(),
  workflow: WorkflowSchema.optional(),
  version: z.number().int().optional().describe('Current version, for optimistic concurrency'),
});
