import type { Principal } from '../accounts/principal.ts';
import type { Executor } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import type { TaskRow } from './store.ts';

/** What a transition hands to the hooks that run inside its transaction. */
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
 * A hook MUST only use `trx`: it runs inside the transition's transaction, and throwing
 * rolls the whole transition back.
 */
export type TransitionHook = (trx: Executor, event: TransitionEvent, deps: Deps) => Promise<void>;
