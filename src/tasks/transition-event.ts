import type { Principal } from '../accounts/principal.ts';
import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import type { TaskRow } from './store.ts';

/** What a transition hands to the steps that run inside its transaction (src/transition/transition.ts). */
export interface TransitionEvent {
  task: TaskRow; // after the change
  from: string;
  to: string;
  fromCategory: string;
  toCategory: string;
  actor: Principal | null;
  /** How many transitions led here (automation chains stop at a bound). */
  depth: number;
  /**
   * When the chain of changes started (ISO): the user's transition, or the scheduled occurrence
   * that caused it — automations name periods ("next month") from it, not from a late run's clock.
   */
  moment: string;
}

/**
 * A step of the transition sequence. It MUST only use `trx`: it runs inside the transition's
 * transaction, and throwing rolls the whole transition back. `R` is what the step reports back
 * to the sequence (runAutomations: whether the rules left the task as it was).
 */
export type TransitionStep<R = void> = (trx: Executor, event: TransitionEvent, deps: Deps) => Promise<R>;

/**
 * The transition sequence on a task row already locked by the caller (`applyTransition` in
 * src/transition/transition.ts). Typed here so that the modules it calls, which cause
 * transitions of their own (automations, consolidation, payments, credit notes), reach it
 * through `deps.applyTransition` without importing the file that imports them.
 */
export type ApplyTransition = (
  trx: Executor,
  deps: Deps,
  task: TaskRow,
  to: string,
  actor: Principal | null,
  depth: number,
  /** The chain's starting moment (see TransitionEvent.moment); default now. */
  moment?: string,
  /**
   * `system`: a move the server makes for a billing fact (a credit note cancels the task, a
   * payment marks it paid), to any status of the workflow, whatever its transitions allow.
   */
  opts?: { system?: boolean },
) => Promise<TaskRow>;
