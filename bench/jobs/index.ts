// Work the harness asks the bench server to do in its own process (POST /job/<name> on the
// bench-only Fastify instance): bulk setup, in-process loops over the service verbs, and the
// scaling and month-end runs. Each takes the server's Deps and a JSON argument, returns JSON.
import type { Deps } from '../../src/deps.ts';
import { analyze, analyzeStale, countUnder, serverUsage } from './bulk.ts';
import { consolidatedUnder, preparePlainTasks, prepareSubtasks, transitionLoop } from './completions.ts';
import { prepareMonthEnd, runMonthEnd } from './month-end.ts';
import { scalingStart, scalingWindow } from './scaling.ts';

export type Job = (deps: Deps, args: any) => Promise<unknown>;

export const jobs: Record<string, Job> = {
  'prepare-subtasks': prepareSubtasks,
  'prepare-plain-tasks': preparePlainTasks,
  'consolidated-under': consolidatedUnder,
  'transition-loop': transitionLoop,
  'scaling-start': scalingStart,
  'scaling-window': scalingWindow,
  'prepare-month-end': prepareMonthEnd,
  'run-month-end': runMonthEnd,
  'count-under': countUnder,
  'server-usage': serverUsage,
  analyze,
  'analyze-stale': analyzeStale,
};
