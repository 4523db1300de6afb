export { consolidateTask, liveConsolidation, type ConsolidateOptions } from './consolidate.ts';
export { retractOnReopen } from './retract.ts';
export { sweepPendingInto } from './pending.ts';
export { DEFAULT_ATTACHMENT_PATTERN } from './naming.ts';
export { releaseToPending } from './release.ts';
