export { transitionRoutes } from './routes.ts';
export { applyTransition, transitionTask, MAX_TRANSITION_DEPTH } from './transition.ts';
