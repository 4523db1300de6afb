import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import type { z } from 'zod';
import type { TransitionEvent } from '../tasks/index.ts';
import type { ConditionsSchema, TriggerSchema } from './schemas.ts';

/** When a rule fires: a task enters a status (or any status of a category), or a scheduled moment comes. */
export type Trigger = z.output<typeof TriggerSchema>;

/** Extra tests on the task, all of which must hold. */
export type Conditions = z.output<typeof ConditionsSchema>;

/** One step of a rule: `type` names an action in the registry; `id` is stable per rule. */
export interface ActionSpec {
  id: string;
  type: string;
  [param: string]: unknown;
}

export interface Rule {
  id: string;
  orgId: string;
  key: string | null;
  name: string;
  enabled: boolean;
  trigger: Trigger;
  conditions: Conditions;
  actions: ActionSpec[];
  position: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ActionContext {
  trx: Executor;
  deps: Deps;
  /** A scheduled rule gets an event with from = to = the task's current status. */
  event: TransitionEvent;
  rule: Rule;
  /** The step's stable id in the rule. */
  stepId?: string;
  /** Set when a scheduled occurrence (not a transition) fired the rule. */
  schedule?: { occurrenceAt: string; manual: boolean };
}

export interface ActionOutcome {
  /** 'skipped' means the action wrote nothing. */
  outcome: 'done' | 'skipped';
  detail?: Record<string, unknown>;
  /**
   * The action left the triggering task as it found it: its row, assignees and client, and so
   * the transition's answer (which is then built without reading the task again). Set it only
   * when that holds whatever the rule's parameters; unset means "may have changed it".
   */
  taskAsIs?: boolean;
}
