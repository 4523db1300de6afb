import { loadConfig } from '../config.ts';
import { createDeps } from '../runtime.ts';
import { createWorker } from '../worker.ts';
import type { Command } from './commands.ts';
import { describeMail, describeStore } from './startup.ts';

export const workerCommand: Command = {
  summary: 'Deliver queued emails and webhooks (the outbox) in its own process',
  help: `chantier worker

Delivers what the outbox holds (emails, webhooks) after the transactions that queued them commit,
with retries and backoff. "chantier serve" runs the same worker unless CHANTIER_WORKER=off;
run this command instead (or as well: workers share the work safely) to deliver apart.
Emails go to SMTP_URL, or with no SMTP_URL into .eml files under ./data/outbox.
Every hour it also deletes expired idempotency keys, ended sessions, API tokens revoked or
expired 30+ days ago and finished login-limit windows. A database outage stops nothing: the
loop logs it and goes on when the database is back.`,
  async run() {
    const deps = await createDeps(loadConfig());
    const worker = createWorker(deps);
    const stop = async (signal: string) => {
      deps.log.info({ signal }, 'worker shutting down');
      await worker.stop();
      await deps.db.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    worker.start();
    const store = describeStore(deps.config);
    const mail = describeMail(deps.config);
    deps.log.info({ worker: worker.id, store, mail }, `outbox worker ${worker.id} started; store: ${store}; mail: ${mail}`);
    return -1;
  },
};
