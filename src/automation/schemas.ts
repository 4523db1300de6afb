import { z } from 'zod';
import { TaxRegion } from '../clients/schemas.ts';
import { Id, PageQuery, Timestamp } from '../http/schemas.ts';
import { STATUS_CATEGORIES } from '../task-types/workflow.ts';
import { actionDefinitions } from './actions/index.ts';
import { ScheduleSchema } from './schedule/schedule.ts';

const Ids = z.array(Id).min(1).max(100);
const StatusKeys = z.array(z.string().min(1).max(40)).min(1).max(50);

const StatusEnteredTrigger = z
  .strictObject({
    type: z.literal('status_entered'),
    status: z.string().min(1).max(40).optional().describe('Fire when the task enters this status…'),
    category: z.enum(STATUS_CATEGORIES).optional().describe('…or any status of this category'),
    taskTypeIds: Ids.optional(),
    fromStatuses: StatusKeys.optional().describe('Only when coming from one of these statuses'),
  })
  .refine((t) => (t.status === undefined) !== (t.category === undefined), { message: 'give exactly one of status or category' });

/** The tasks a scheduled rule's actions run on, each in its own transaction. */
export const ScheduleTargetSchema = z.strictObject({
  taskTypeIds: Ids.describe('Tasks of these types…'),
  statuses: StatusKeys.optional().describe('…in one of these statuses'),
  statusCategory: z.enum(STATUS_CATEGORIES).optional().describe('…in a status of this category'),
  hasContent: z.boolean().optional().describe('true: only tasks with at least one line (their own or consolidated); false: only tasks without'),
});

const ScheduleTrigger = z.strictObject({
  type: z.literal('schedule'),
  schedule: ScheduleSchema.describe("When, in the organization's time zone"),
  target: ScheduleTargetSchema,
});

/** When a rule fires: a task enters a status, or a scheduled moment comes (for each targeted task). */
export const TriggerSchema = z.discriminatedUnion('type', [StatusEnteredTrigger, ScheduleTrigger]);

export const ConditionsSchema = z.strictObject({
  taskTypeIds: Ids.optional(),
  clientIds: Ids.optional(),
  clientTaxRegions: z.array(TaxRegion).min(1).optional(),
  hasParent: z.boolean().optional(),
  parentTypeIds: Ids.optional(),
  clientHasBillingEmail: z
    .boolean()
    .optional()
    .describe('true: only for a task whose client has at least one billing email; false: only for one whose client has none, or that has no client'),
});

const StepId = z.string().regex(/^[a-z0-9_-]{1,40}$/, 'letters, digits, _ or -');

/** One schema per registered action, told apart by `type`. */
export const ActionSpecSchema = z.discriminatedUnion(
  'type',
  actionDefinitions.map((a) => a.params.extend({ type: z.literal(a.type), id: StepId.optional() })) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

export const RuleSchema = z.object({
  id: Id,
  key: z.string().nullable().describe('Set on the rules a new organization starts with'),
  name: z.string(),
  enabled: z.boolean(),
  trigger: TriggerSchema,
  conditions: ConditionsSchema,
  actions: z.array(z.object({ id: z.string(), type: z.string() }).catchall(z.unknown())),
  position: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
  secrets: z
    .record(z.string(), z.string())
    .optional()
    .describe('Webhook signing secrets the server generated, by step id: in the response that saved the rule only (later: secretHint)'),
});

export const CreateRuleBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean().default(false),
  trigger: TriggerSchema,
  conditions: ConditionsSchema.default({}),
  actions: z.array(ActionSpecSchema).min(1).max(20),
});

export const UpdateRuleBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  trigger: TriggerSchema.optional(),
  conditions: ConditionsSchema.optional(),
  actions: z.array(ActionSpecSchema).min(1).max(20).optional(),
  position: z.number().int().min(0).max(1_000_000).optional(),
  version: z.number().int().optional(),
});

export const RuleHistorySchema = z.object({
  id: Id,
  change: z.string(),
  userId: Id.nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  at: Timestamp,
});

export const RunSchema = z.object({
  id: Id,
  ruleId: Id,
  ruleName: z.string(),
  taskId: Id,
  trigger: z.object({
    from: z.string().optional().describe('Transition triggers: the status the task left…'),
    to: z.string().optional().describe('…and the status it entered'),
    depth: z.number().int(),
    occurrenceAt: Timestamp.optional().describe('Scheduled triggers: the occurrence this run belongs to'),
    manual: z.boolean().optional().describe('Scheduled triggers: run by hand (chantier run-schedule)'),
  }),
  outcome: z.enum(['succeeded', 'failed']),
  actions: z.array(z.object({ id: z.string(), type: z.string(), outcome: z.string(), detail: z.unknown().optional() })),
  error: z.string().nullable(),
  durationMs: z.number(),
  at: Timestamp,
});

export const ListRunsQuery = z.strictObject({ ruleId: Id.optional(), taskId: Id.optional(), ...PageQuery });

export const OccurrenceSchema = z.object({
  id: Id,
  occurrenceAt: Timestamp,
  state: z.enum(['running', 'done', 'failed', 'skipped']).describe('skipped: missed while no server ran schedules; only the latest missed one runs'),
  manual: z.boolean().describe('Run by hand (chantier run-schedule)'),
  claimedBy: z.string().nullable(),
  claimedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  summary: z.object({ selected: z.number().int(), succeeded: z.number().int(), failed: z.number().int(), skipped: z.number().int() }).nullable(),
  error: z.string().nullable(),
});

export const ListOccurrencesQuery = z.strictObject(PageQuery);

export const RunNowBody = z.strictObject({
  early: z.boolean().optional().describe('Run the next occurrence now even though the latest one already ran (the scheduler then skips it)'),
  rerun: z.boolean().optional().describe('Run the latest occurrence again whatever its state (e.g. left running by a stopped server)'),
});

const StepLogSchema = z.object({ id: z.string(), type: z.string(), outcome: z.string(), detail: z.record(z.string(), z.unknown()).optional() });

/** What running a scheduled rule by hand did, task by task (as `chantier run-schedule` prints it). */
export const ManualRunSchema = z.object({
  occurrenceId: Id,
  occurrenceAt: Timestamp,
  timeZone: z.string(),
  enabled: z.boolean().describe('false: the rule is disabled and was run by hand anyway'),
  early: z.boolean().describe('The occurrence was still to come: the scheduler will not run it again'),
  selected: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  tasks: z.array(
    z.object({
      id: Id,
      displayNumber: z.string(),
      title: z.string(),
      outcome: z.enum(['succeeded', 'failed', 'skipped']),
      steps: z.array(StepLogSchema).optional(),
      error: z.string().optional(),
    }),
  ),
});
