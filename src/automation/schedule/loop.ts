import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { periodic, type Periodic } from '../../shared/periodic.ts';
import { defaultSchedulerId, runDueSchedules } from './due.ts';

export const DEFAULT_SCHEDULER_INTERVAL_MS = 30_000;

/** Checks the schedules every interval (the first check at once); `stop` lets an occurrence being run finish. */
export type Scheduler = Periodic;

/** The scheduler loop: runDueSchedules on a timer, with the real clock of `deps`. */
export function createScheduler(deps: Deps, o: { intervalMs?: number; schedulerId?: string } = {}): Scheduler {
  const schedulerId = o.schedulerId ?? defaultSchedulerId();
  // Each occurrence logs itself when it ran (run-occurrence.ts).
  return periodic(deps.log, o.intervalMs ?? DEFAULT_SCHEDULER_INTERVAL_MS, 'scheduler round failed', () =>
    runDueSchedules(deps, deps.clock.now(), { schedulerId }),
  );
}

/**
 * `chantier serve` runs the scheduler for the app's lifetime, beside the outbox worker: started
 * when the app is ready, stopped when it closes. None when config.scheduler is off.
 */
export function runSchedulerWithApp(app: FastifyInstance, deps: Deps, o: { intervalMs?: number } = {}): Scheduler | null {
  if (!deps.config.scheduler) return null;
  const scheduler = createScheduler(deps, o);
  app.addHook('onReady', async () => scheduler.start());
  app.addHook('onClose', async () => scheduler.stop());
  return scheduler;
}
