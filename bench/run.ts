// `npm run bench`: request rates of the product API against a trivial Fastify route, on
// SQLite and PostgreSQL. Knobs: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, 2),
// BENCH_CONNECTIONS (10), BENCH_STORES (sqlite,postgres), BENCH_ONLY (scenario name part),
// BENCH_DATABASE_URL, BENCH_CPU_PROF=<dir> (profile the server with node --cpu-prof).
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { scenarios, type BenchContext } from './scenarios.ts';
import { stores } from './stores.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
const ONLY = process.env.BENCH_ONLY;
const PROFILE_DIR = process.env.BENCH_CPU_PROF;

interface Row {
  store: string;
  scenario: string;
  rate: number;
  p50: number;
  p99: number;
  /** Server CPU time per 2xx answer, in µs (robust to other load on the machine, unlike the rate). */
  cpuPerReq: number;
  non2xx: number;
  errors: number;
  ceiling?: boolean;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; api: string; trivial: string }> {
  const prof = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'bench/server.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code}) before listening`)));
  });
  const { api, trivial } = JSON.parse(first) as { api: string; trivial: string };
  return { child, api, trivial };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function adminContext(api: string): Promise<BenchContext> {
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(api + path, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { token } = await call('POST', '/api/v1/signup', {
    orgName: 'Bench',
    name: 'Bench Admin',
    email: 'bench@example.com',
    password: 'bench-password-123',
  });
  const types = (await call('GET', '/api/v1/task-types', undefined, token)).items as { id: string; key: string }[];
  return { token, typeIds: Object.fromEntries(types.map((t) => [t.key, t.id])), api: (m, p, b) => call(m, p, b, token) };
}

async function benchStore(store: (typeof stores)[number], rows: Row[]): Promise<void> {
  const opened = await store.open();
  if ('skip' in opened) {
    console.log(`[${store.name}] skipped: ${opened.skip}`);
    return;
  }
  try {
    const server = await startServer(opened.env);
    try {
      await runScenarios(store.name, server, rows);
    } finally {
      await stopServer(server.child);
    }
  } finally {
    await opened.close();
  }
}

async function runScenarios(store: string, server: { api: string; trivial: string }, rows: Row[]): Promise<void> {
  const ctx = await adminContext(server.api);
  for (const s of scenarios.filter((x) => !ONLY || x.server === 'trivial' || x.name.includes(ONLY))) {
    process.stdout.write(`[${store}] ${s.name}: preparing… `);
    const { path = '', ...load } = await s.prepare(ctx);
    // autocannon takes the path from the url; `requests` may still change it per request.
    const plan = { ...load, url: (s.server === 'api' ? server.api : server.trivial) + path, connections: CONNECTIONS };
    if (WARMUP > 0) await autocannon({ ...plan, duration: WARMUP });
    const cpu = async () => ((await (await fetch(`${server.trivial}/cpu`)).json()) as { micros: number }).micros;
    const cpuBefore = await cpu();
    const r = await autocannon({ ...plan, duration: DURATION });
    const cpuUsed = (await cpu()) - cpuBefore;
    const row: Row = {
      store,
      scenario: s.name,
      rate: r['2xx'] / r.duration,
      p50: r.latency.p50,
      p99: r.latency.p99,
      cpuPerReq: cpuUsed / Math.max(1, r['2xx']),
      non2xx: r.non2xx,
      errors: r.errors + r.timeouts,
      ceiling: s.server === 'trivial',
    };
    rows.push(row);
    console.log(`${Math.round(row.rate)} req/s${row.non2xx ? `, ${row.non2xx} non-2xx ${JSON.stringify(r.statusCodeStats)}` : ''}`);
  }
}

function table(rows: Row[]): string {
  const ceilingOf = (store: string) => rows.find((r) => r.store === store && r.ceiling);
  const head = ['store', 'scenario', 'req/s (2xx)', 'p50 ms', 'p99 ms', 'vs trivial', 'server CPU µs/req', 'CPU vs trivial', 'non-2xx', 'errors'];
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const body = rows.map((r) => {
    const c = ceilingOf(r.store);
    return [
      r.store,
      r.scenario,
      Math.round(r.rate).toLocaleString('en-US'),
      String(r.p50),
      String(r.p99),
      c ? pct(r.rate / c.rate) : '—',
      Math.round(r.cpuPerReq).toLocaleString('en-US'),
      c ? pct(c.cpuPerReq / r.cpuPerReq) : '—',
      String(r.non2xx),
      String(r.errors),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<number> {
  const rows: Row[] = [];
  console.log(`node ${process.version}, ${cpus().length} CPUs; ${CONNECTIONS} connections, keep-alive, ${DURATION}s per scenario after ${WARMUP}s warm-up.`);
  console.log('The load generator runs on the same machine as the server (and PostgreSQL).\n');
  for (const store of stores.filter((s) => STORES.includes(s.name))) await benchStore(store, rows);
  console.log(`\n${table(rows)}`);
  console.log('\n"vs trivial": rate over the trivial route\'s rate in this run. "CPU vs trivial": the trivial route\'s');
  console.log('server CPU per request over this one\'s: the same ratio, less sensitive to other load on the machine.');
  const failed = rows.filter((r) => r.non2xx > 0 || r.errors > 0);
  if (failed.length) {
    console.error(`\n${failed.length} scenario(s) had non-2xx answers or errors: their rate counts only the 2xx.`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
