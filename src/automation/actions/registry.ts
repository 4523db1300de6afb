import type { z } from 'zod';
import type { SecretBox } from '../../secrets/index.ts';
import type { ActionContext, ActionOutcome } from '../types.ts';

/**
 * An automation action. Adding one is a new file exporting a definition, listed in
 * actions/index.ts; the engine never changes.
 */
export interface ActionDefinition<P extends Record<string, unknown> = Record<string, unknown>> {
  type: string;
  summary: string;
  /** The action's own parameters (without `type` and `id`), as a strict zod object. */
  params: z.ZodObject;
  /** Checks references when a rule is saved (e.g. that a task type exists in the org). */
  validate?(ctx: { trx: ActionContext['trx']; orgId: string; deps: ActionContext['deps'] }, params: P): Promise<void>;
  /**
   * Completes the params to store when a rule is saved, given the step's stored params when it
   * had the same id: e.g. generates a secret, or keeps the stored one. `reveal` is shown once.
   */
  prepare?(params: P, previous: P | undefined, ctx: { secrets: SecretBox }): { params: P; reveal?: string };
  /** The params as the API shows them (secrets replaced by a hint); default: as stored. */
  redact?(params: P): Record<string, unknown>;
  /** MUST only write through ctx.trx: it runs inside the triggering transition's transaction. */
  run(ctx: ActionContext, params: P): Promise<ActionOutcome>;
}

export const defineAction = <P extends Record<string, unknown>>(def: ActionDefinition<P>) => def as unknown as ActionDefinition;
