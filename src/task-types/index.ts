export { taskTypeRoutes } from './routes.ts';
export { seedDefaultTaskTypes, getTaskType } from './service.ts';
export { findTaskType, listTaskTypes, type TaskType } from './store.ts';
export * from './workflow.ts';
