export { taskRoutes } from './routes.ts';
export { createTask, insertTask } from './create.ts';
export { canSeeTask, assertCanSeeTask } from './access.ts';
export { findTaskRow, lockTask, lockTaskWithType, loadTaskDto, taskRowOf, toTaskDto, type LockedTask, type TaskRow } from './store.ts';
export type { ApplyTransition, TransitionEvent, TransitionStep } from './transition-event.ts';
export { assertContentNotBilled } from './billing-facts.ts';
