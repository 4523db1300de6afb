export { taskRoutes } from './routes.ts';
export { createTask, insertTask } from './create.ts';
export { transitionTask, applyTransition, lockTask, MAX_TRANSITION_DEPTH } from './transition.ts';
export { canSeeTask, assertCanSeeTask } from './access.ts';
export { findTaskRow, type TaskRow } from './store.ts';
export type { TransitionEvent, TransitionHook } from './transition-hooks.ts';
export { assertContentNotBilled } from './billing-facts.ts';
