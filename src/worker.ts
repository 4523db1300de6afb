import type { FastifyInstance } from 'fastify';
import type { Deps } from './deps.ts';
import { emailDeliverer } from './mail/index.ts';
import { webhookDeliverer } from './webhooks/index.ts';
import { createStatisticsKeeper } from './housekeeping/statistics.ts';
import { createSweeper } from './housekeeping/sweep.ts';
import { createOutboxWorker, type OutboxWorker, type WorkerOptions } from './outbox/index.ts';

/**
 * The outbox worker with this server's deliverers (email, webhook). Its loop also sweeps
 * expired rows (idempotency keys, sessions, login attempts) every hour, and on PostgreSQL
 * analyzes every minute the tables whose statistics fell behind (housekeeping/statistics.ts).
 */
export function createWorker(deps: Deps, opts: Omit<WorkerOptions, 'deliverers'> = {}): OutboxWorker {
  const outbox = createOutboxWorker(deps, { ...opts, deliverers: { email: emailDeliverer(deps), webhook: webhookDeliverer(deps) } });
  const sweeper = createSweeper(deps);
  const statistics = createStatisticsKeeper(deps);
  return {
    ...outbox,
    id: outbox.id,
    start() {
      outbox.start();
      sweeper.start();
      statistics.start();
    },
    async stop() {
      await statistics.stop();
      await sweeper.stop();
      await outbox.stop();
    },
  };
}

/**
 * `chantier serve` runs the worker for the app's lifetime: started when the app is ready,
 * stopped (its round finished) when it closes. None when config.worker is off.
 */
export function runWorkerWithApp(app: FastifyInstance, deps: Deps, opts: Omit<WorkerOptions, 'deliverers'> = {}): OutboxWorker | null {
  if (!deps.config.worker) return null;
  const worker = createWorker(deps, opts);
  app.addHook('onReady', async () => worker.start());
  app.addHook('onClose', async () => worker.stop());
  return worker;
}
