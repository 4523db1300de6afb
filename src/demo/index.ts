export { loadDemo, type DemoResult, type LoadDemoOptions } from './load-demo.ts';
export { DEMO } from './data/index.ts';
export type { DemoScript, DemoTask, DemoLine } from './script.ts';
export { DemoStepFailed } from './api.ts';
