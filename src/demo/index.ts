export { loadDemo, type DemoResult, type DemoTaskResult, type LoadDemoOptions } from './load-demo.ts';
export { tellStories } from './stories.ts';
export { DEMO } from './data/index.ts';
export type { DemoScript, DemoTask, DemoLine, DemoRule, DemoStory } from './script.ts';
export type { DemoRuleResult } from './automations.ts';
export { DemoStepFailed } from './api.ts';
