export { automationRoutes } from './routes.ts';
export { runAutomations } from './engine.ts';
export { seedDefaultRules } from './defaults.ts';
export { actionDefinitions } from './actions/index.ts';
export type { Rule, Trigger, Conditions, ActionSpec } from './types.ts';
