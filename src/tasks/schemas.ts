import { z } from 'zod';
import { Address, Id, PageQuery, Timestamp, TimestampInput } from '../http/schemas.ts';
import { AddLineBody, MAX_BULK_LINES } from '../task-content/schemas.ts';
import { STATUS_CATEGORIES } from '../task-types/workflow.ts';

export const TaskSchema = z.object({
  id: Id,
  number: z.number().int(),
  displayNumber: z.string().describe('The number with the type prefix, e.g. T-1042'),
  typeId: Id,
  status: z.string(),
  statusCategory: z.enum(STATUS_CATEGORIES),
  title: z.string(),
  description: z.string().nullable(),
  client: z.object({ id: Id, name: z.string() }).nullable(),
  parentId: Id.nullable(),
  assigneeIds: z.array(Id),
  scheduledStart: Timestamp.nullable(),
  scheduledEnd: Timestamp.nullable(),
  siteAddress: Address.nullable(),
  statusChangedAt: Timestamp,
  completedAt: Timestamp.nullable(),
  createdBy: Id.nullable(),
  updatedBy: Id.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
});
export type TaskDto = z.infer<typeof TaskSchema>;

const Title = z.string().trim().min(1).max(300);
const Description = z.string().max(20_000);
const Assignees = z.array(Id).max(50);

export const CreateTaskBody = z.strictObject({
  typeId: Id,
  title: Title,
  description: Description.optional(),
  clientId: Id.optional(),
  parentId: Id.optional().describe('The main task this one is a sub-task of'),
  assigneeIds: Assignees.default([]),
  scheduledStart: TimestampInput.optional(),
  scheduledEnd: TimestampInput.optional(),
  siteAddress: Address.optional(),
  status: z.string().max(40).optional().describe("An open or active status of the type's workflow; default its initial status"),
});

export const UpdateTaskBody = z.strictObject({
  title: Title.optional(),
  description: Description.nullable().optional(),
  clientId: Id.nullable().optional(),
  parentId: Id.nullable().optional(),
  assigneeIds: Assignees.optional(),
  scheduledStart: TimestampInput.nullable().optional(),
  scheduledEnd: TimestampInput.nullable().optional(),
  siteAddress: Address.nullable().optional(),
  version: z.number().int().optional().describe('Current version; a stale one answers 409'),
});

export const TASK_SORTS = ['number', '-number', 'scheduledStart', '-scheduledStart'] as const;

export const ListTasksQuery = z.strictObject({
  status: z.string().max(40).optional(),
  statusCategory: z.enum(STATUS_CATEGORIES).optional(),
  typeId: Id.optional(),
  clientId: Id.optional(),
  parentId: Id.optional(),
  topLevel: z.enum(['true', 'false']).optional().describe('true: only tasks without a parent'),
  assigneeId: Id.optional(),
  updatedSince: Timestamp.optional(),
  scheduledFrom: Timestamp.optional().describe('Scheduled to start at or after this instant'),
  scheduledTo: Timestamp.optional().describe('Scheduled to start before this instant'),
  q: z.string().trim().max(200).optional().describe('Title contains (case-insensitive), or the number: "42", "T-42"'),
  sort: z.enum(TASK_SORTS).default('number').describe('number or scheduledStart; a leading "-" sorts descending (unscheduled tasks last)'),
  ...PageQuery,
});

export const TransitionBody = z.strictObject({
  to: z.string().min(1).max(40),
  version: z.number().int().optional(),
});

export const HistoryEntrySchema = z.object({
  id: Id,
  from: z.string().nullable(),
  to: z.string(),
  userId: Id.nullable(),
  at: Timestamp,
});

/** Bulk entry: at most this many tasks (and MAX_BULK_LINES lines in all) per request (beyond: 413). */
export { MAX_BULK_LINES };
export const MAX_BULK_TASKS = 20_000;

export const BulkTaskItem = CreateTaskBody.extend({
  lines: z.array(AddLineBody).max(1000).default([]).describe("The task's invoice lines, in order"),
});
export type BulkTaskInput = z.output<typeof BulkTaskItem>;

export const BulkTasksBody = z
  .array(BulkTaskItem)
  .min(1)
  .max(MAX_BULK_TASKS)
  .describe(
    `Tasks to create in one transaction, each with its lines: a JSON array, or NDJSON (one task per line). At most ${MAX_BULK_TASKS} tasks and ${MAX_BULK_LINES} lines (413 bulk_too_large)`,
  );

export const BulkCreatedSchema = z.object({
  count: z.number().int(),
  lineCount: z.number().int(),
  tasks: z.array(z.object({ id: Id, number: z.number().int(), displayNumber: z.string(), lineCount: z.number().int() })).describe('In the order sent'),
});
export type BulkCreatedDto = z.infer<typeof BulkCreatedSchema>;
