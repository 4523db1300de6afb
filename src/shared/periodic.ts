import type { Logger } from 'pino';

/** A background loop: `start` runs the first round at once, `stop` waits for the round in flight. */
export interface Periodic {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Runs `round` at start and then `intervalMs` after each round ends (rounds never overlap).
 * A failed round is logged with `failure` and the loop goes on.
 */
export function periodic(log: Pick<Logger, 'error'>, intervalMs: number, failure: string, round: () => Promise<unknown>): Periodic {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  let running = false;
  const tick = async () => {
    const current = round();
    inFlight = current;
    try {
      await current;
    } catch (err) {
      log.error({ err }, failure);
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
