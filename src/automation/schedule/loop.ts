import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { defaultSchedulerId, runDueSchedules } from './due.ts';

export const DEFAULT_SCHEDULER_INTERVAL_MS = 30_000;

export interface Scheduler {
  /** Checks the schedules every interval (the first check at once). */
  start(): void;
  /** Stops the timer and waits for the check in flight (an occurrence being run finishes). */
  stop(): Promise<void>;
}

/** The scheduler loop: runDueSchedules on a timer, with the real clock of `deps`. */
export function createScheduler(deps: Deps, o: { intervalMs?: number; schedulerId?: string } = {}): Scheduler {
  const intervalMs = o.intervalMs ?? DEFAULT_SCHEDULER_INTERVAL_MS;
  const schedulerId = o.schedulerId ?? defaultSchedulerId();
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  let running = false;
  const tick = async () => {
    const round = runDueSchedules(deps, deps.clock.now(), { schedulerId });
    inFlight = round;
    try {
      await round; // each occurrence logs itself when it ran (run-occurrence.ts)
    } catch (err) {
      deps.log.error({ err }, 'scheduler round failed');
    }
    if (running) timer = setTimeout(tick, intervalMs);
  };
  return {
    start() {
      if (running) return;
      running = true;
      timer = setTimeout(tick, 0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await inFlight.catch(() => {});
    },
  };
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
