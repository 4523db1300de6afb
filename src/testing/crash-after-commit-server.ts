// A real Chantier server (config from the environment, like `chantier serve`) that kills itself
// with SIGKILL right after a keyed request's work commits and before its answer is stored — the
// moment issue 7 found keys left pending. Tests start it as a child process.
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { idempotencyFaults } from '../http/idempotency.ts';
import { createDeps } from '../runtime.ts';

const config = loadConfig();
const deps = await createDeps(config);
const app = await buildApp(deps);
idempotencyFaults.beforeMarkDone = () => process.kill(process.pid, 'SIGKILL');
await app.listen({ port: config.port, host: config.host });
console.log('ready');
