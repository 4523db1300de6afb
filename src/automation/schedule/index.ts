export { runDueSchedules, MAX_SKIPPED_RECORDED } from './due.ts';
export { runRuleNow, runScheduleNow, type ManualRun } from './manual.ts';
export { createScheduler, runSchedulerWithApp, DEFAULT_SCHEDULER_INTERVAL_MS, type Scheduler } from './loop.ts';
export { nextOccurrence, previousOccurrence, occurrencesBetween } from './occurrences.ts';
export { ScheduleSchema, type Schedule } from './schedule.ts';
export type { OccurrenceReport, TaskResult } from './run-occurrence.ts';
