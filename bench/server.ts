// The server under load, in its own process so the load generator does not share its event
// loop. The store comes from the environment as for `chantier serve`, plus BENCH_PG_SCHEMA: the
// fresh PostgreSQL schema of this run. Prints one JSON line with the addresses of the product API
// and of a bare Fastify route, the ceiling. The bare instance also runs the harness's jobs
// (bench/jobs/): setup and in-process measurements, in this process and on its store.
import Fastify from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/index.ts';
import { createDeps } from '../src/runtime.ts';
import { jobs } from './jobs/index.ts';

// The bench fires thousands of requests a second with one token: the per-credential limit is
// raised (its cost is still paid on every request) unless the environment sets it.
const config = loadConfig({ LOG_LEVEL: 'warn', CHANTIER_RATE_LIMIT_API: '1000000000', ...process.env });
const schema = process.env.BENCH_PG_SCHEMA;
const deps = await createDeps(config, schema ? { db: openDatabase({ url: config.databaseUrl, schema }) } : {});
const api = await buildApp(deps);
const trivial = Fastify({ logger: false });
trivial.get('/ok', async () => ({ ok: true }));
// The server's CPU time so far, in µs: the harness reads it around each run (less noisy than a rate).
trivial.get('/cpu', async () => {
  const { user, system } = process.cpuUsage();
  return { micros: user + system };
});

trivial.post<{ Params: { name: string } }>('/job/:name', async (req, reply) => {
  const job = jobs[req.params.name];
  if (!job) return reply.code(404).send({ error: `no job ${req.params.name}` });
  try {
    return await job(deps, req.body);
  } catch (err) {
    console.error(err);
    return reply.code(500).send({ error: err instanceof Error ? err.message : String(err) });
  }
});

const apiAddress = await api.listen({ port: 0, host: '127.0.0.1' });
const trivialAddress = await trivial.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ api: apiAddress, trivial: trivialAddress }));

const stop = async () => {
  await trivial.close();
  await api.close();
  await deps.db.close();
  process.exit(0); // --cpu-prof writes its profile here
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
