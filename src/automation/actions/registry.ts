import type { z } from 'zod';
import type { ActionContext, ActionOutcome } from '../types.ts';

/**
 * An automation action. Adding one is a new file exporting a definition, listed in
 * actions/index.ts; the engine never changes.
 */
export interface ActionDefinition<P extends Record<string, unknown> = Record<string, unknown>> {
  type: string;
  summary: string;
  /** The action's own parameters (without `type` and `id`), as a strict zod object. */
  params: z.ZodObject<any>;
  /** Checks references when a rule is saved (e.g. that a task type exists in the org). */
  validate?(ctx: { trx: ActionContext['trx']; orgId: string }, params: P): Promise<void>;
  /** MUST only write through ctx.trx: it runs inside the triggering transition's transaction. */
  run(ctx: ActionContext, params: P): Promise<ActionOutcome>;
}

export const defineAction = <P extends Record<string, unknown>>(def: ActionDefinition<P>) => def as unknown as ActionDefinition;
