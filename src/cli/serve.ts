import { parseArgs } from 'node:util';
import { buildApp } from '../app.ts';
import { createScheduler } from '../automation/schedule/index.ts';
import { loadConfig } from '../config.ts';
import { createDeps } from '../runtime.ts';
import { createWorker } from '../worker.ts';
import type { Command } from './commands.ts';
import { describeMail, describeStore, listenFailure } from './startup.ts';

export const serveCommand: Command = {
  summary: 'Run the HTTP server (migrates the database first)',
  help: `chantier serve [--port N] [--host H]

Runs the API on PORT (default 3000) and HOST (default 0.0.0.0). The embedded SQLite database
under ./data is created and migrated on first start; set DATABASE_URL=postgres://… to use
PostgreSQL (several servers may share it). The outbox worker (emails) runs inside the server;
set CHANTIER_WORKER=off to run it apart with "chantier worker". Scheduled automation rules
are checked every 30 s inside the server (several servers share the work: each occurrence
runs once); set CHANTIER_SCHEDULER=off to leave them to other servers.`,
  async run(args) {
    const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' } } });
    const config = loadConfig({ ...process.env, ...(values.port ? { PORT: values.port } : {}), ...(values.host ? { HOST: values.host } : {}) });
    const deps = await createDeps(config);
    const app = await buildApp(deps);
    // Listen first: a busy port must end the process before any background loop starts.
    let address: string;
    try {
      address = await app.listen({ port: config.port, host: config.host });
    } catch (err) {
      const message = listenFailure(err, config);
      deps.log.fatal({ err }, message);
      await app.close().catch(() => {});
      await deps.db.close();
      throw new Error(message);
    }
    const loops = [
      ...(config.worker ? [{ name: 'outbox worker', loop: createWorker(deps) }] : []),
      ...(config.scheduler ? [{ name: 'scheduler', loop: createScheduler(deps) }] : []),
    ];
    for (const { loop } of loops) loop.start();
    const stop = async (signal: string) => {
      deps.log.info({ signal }, 'shutting down');
      await app.close();
      await Promise.all(loops.map(({ loop }) => loop.stop()));
      await deps.db.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    const store = describeStore(config);
    const mail = describeMail(config);
    const running = loops.map((l) => l.name);
    deps.log.info(
      { address, store, mail, loops: running },
      `Chantier is listening on ${address} (API docs at ${address}/docs); store: ${store}; mail: ${mail}; background loops: ${running.join(', ') || 'none'}`,
    );
    return -1;
  },
};
