// `npm run bench`: on SQLite and PostgreSQL, request rates of the product API against a trivial
// Fastify route (task creation, plain transitions, sub-task completions with consolidation),
// then scenarios timed inside the server (the completion verb in process, the cost of the n-th
// consolidation, a month-end with emails), then one invoice PDF. Knobs: bench/knobs.ts.
import autocannon, { type Options, type Result } from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { bulkEntry, projectCycle } from './bulk-scenarios.ts';
import { benchCalendar } from './calendar-bench.ts';
import { benchDurableCommits, type DurableCommitResult } from './durable-commits.ts';
import { benchPgFloor } from './pg-floor.ts';
import { jobScenarios, scaleSizes } from './job-scenarios.ts';
import { knobs } from './knobs.ts';
import { scenarios, type BenchContext, type Scenario } from './scenarios.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';
import { PG_URL, stores } from './stores.ts';
import { formatTable, num } from './util.ts';
import { BENCH_EMAIL, BENCH_PASSWORD, WEB_SIZE_HEAD, webFirstScreen, webLinesScenario } from './web-bench.ts';

/** Scenarios timed in the server process or in the browser, per store. */
const perStoreScenarios = [...jobScenarios, webLinesScenario, bulkEntry, projectCycle];

const CONNECTIONS = knobs.connections;
const only = (name: string) => !knobs.only || knobs.only.some((part) => name.includes(part));

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
  baseline?: string;
}

interface Results {
  http: Row[];
  /** Rows of each job scenario's table, the store first. */
  tables: Map<string, string[][]>;
  notes: string[];
  problems: string[];
}

async function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; api: string; trivial: string }> {
  const prof = knobs.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', knobs.cpuProfileDir] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'bench/server.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The server's log (a start-up warning) may come first on stdout: wait for the addresses' line.
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onLine = (line: string) => {
      if (!line.includes('"api"')) return;
      lines.off('line', onLine);
      resolve(line);
    };
    lines.on('line', onLine);
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

async function callJson(url: string, method: string, body?: unknown, token?: string) {
  const res = await fetch(url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${new URL(url).pathname}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function adminContext(server: { api: string; trivial: string }): Promise<BenchContext> {
  const signup = await callJson(`${server.api}/api/v1/signup`, 'POST', {
    orgName: 'Bench',
    name: 'Bench Admin',
    email: BENCH_EMAIL,
    password: BENCH_PASSWORD,
  });
  const token: string = signup.token;
  const api = (m: string, p: string, b?: unknown) => callJson(server.api + p, m, b, token);
  // Ready to invoice: closing an invoice that charges GST/QST needs the seller's address and numbers.
  await api('PATCH', '/api/v1/organization', {
    address: { line1: '1 rue du Banc', city: 'Montréal', region: 'QC', postalCode: 'H2X 1Y4' },
    gstNumber: '123456789RT0001',
    qstNumber: '1234567890TQ0001',
  });
  const types = (await api('GET', '/api/v1/task-types')).items as { id: string; key: string }[];
  const rules = (await api('GET', '/api/v1/automations')).items as { id: string; key: string | null }[];
  return {
    baseUrl: server.api,
    token,
    orgId: signup.organization.id,
    userId: signup.user.id,
    typeIds: Object.fromEntries(types.map((t) => [t.key, t.id])),
    ruleIds: Object.fromEntries(rules.filter((r) => r.key).map((r) => [r.key, r.id])),
    api,
    job: (name, args) => callJson(`${server.trivial}/job/${name}`, 'POST', args),
  };
}

async function benchStore(store: (typeof stores)[number], results: Results, sink: SmtpSink): Promise<void> {
  const opened = await store.open();
  if ('skip' in opened) {
    console.log(`[${store.name}] skipped: ${opened.skip}`);
    results.notes.push(`${store.name} skipped: ${opened.skip}`);
    return;
  }
  try {
    const server = await startServer({ ...opened.env, SMTP_URL: sink.url });
    try {
      const ctx = await adminContext(server);
      // The trivial route and the baselines of the chosen scenarios always run: the ratios need them.
      const chosen = scenarios.filter((x) => only(x.name));
      const load = scenarios.filter((x) => x.server === 'trivial' || chosen.includes(x) || chosen.some((c) => c.baseline === x.name));
      for (const s of load) await runLoad(store.name, s, ctx, server, results);
      for (const s of perStoreScenarios.filter((x) => only(x.name))) {
        process.stdout.write(`[${store.name}] ${s.name}… `);
        const t0 = performance.now();
        const r = await s.run(ctx, { sink });
        console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s${r.problems.length ? `, ${r.problems.length} problem(s)` : ''}`);
        const table = results.tables.get(s.name) ?? [];
        table.push(...r.rows.map((row) => [store.name, ...row]));
        results.tables.set(s.name, table);
        results.notes.push(...(r.notes ?? []).map((n) => `[${store.name}] ${n}`));
        results.problems.push(...r.problems.map((p) => `[${store.name}] ${s.name}: ${p}`));
      }
    } finally {
      await stopServer(server.child);
    }
  } finally {
    await opened.close();
  }
}

async function runLoad(store: string, s: Scenario, ctx: BenchContext, server: { api: string; trivial: string }, results: Results): Promise<void> {
  process.stdout.write(`[${store}] ${s.name}: preparing… `);
  const { path = '', ...load } = await s.prepare(ctx);
  if (knobs.analyze && s.server === 'api' && store === 'postgres') await ctx.job('analyze-stale', {});
  // autocannon takes the path from the url; `requests` may still change it per request.
  const plan = { ...load, url: (s.server === 'api' ? server.api : server.trivial) + path, connections: CONNECTIONS };
  const size = (warmup: boolean) =>
    s.requests ? { amount: warmup ? s.requests.warmup : s.requests.measured } : { duration: warmup ? knobs.warmup : knobs.duration };
  let answered = 0;
  if (s.requests || knobs.warmup > 0) answered += (await cannon({ ...plan, ...size(true) })).result['2xx'];
  const cpu = async () => ((await (await fetch(`${server.trivial}/cpu`)).json()) as { micros: number }).micros;
  const cpuBefore = await cpu();
  const { result: r, untilLastMs } = await cannon({ ...plan, ...size(false) });
  const cpuUsed = (await cpu()) - cpuBefore;
  answered += r['2xx'];
  const row: Row = {
    store,
    scenario: s.name,
    // A run of a fixed number of requests ends on autocannon's next 1 s tick: count up to the last answer.
    rate: r['2xx'] / (s.requests ? untilLastMs / 1000 : r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    cpuPerReq: cpuUsed / Math.max(1, r['2xx']),
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    ceiling: s.server === 'trivial',
    baseline: s.baseline,
  };
  results.http.push(row);
  const problems = s.check ? await s.check(ctx, answered) : [];
  results.problems.push(...problems.map((p) => `[${store}] ${s.name}: ${p}`));
  if (row.non2xx || row.errors)
    results.problems.push(`[${store}] ${s.name}: ${row.non2xx} non-2xx answers ${JSON.stringify(r.statusCodeStats)}, ${row.errors} errors`);
  console.log(
    `${Math.round(row.rate)} req/s${row.non2xx ? `, ${row.non2xx} non-2xx ${JSON.stringify(r.statusCodeStats)}` : ''}${problems.length ? `, ${problems.length} check(s) failed` : ''}`,
  );
}

/** autocannon, also timing the last answer from the start. */
function cannon(opts: Options): Promise<{ result: Result; untilLastMs: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let last = start;
    autocannon(opts, (err, result) => (err ? reject(err) : resolve({ result, untilLastMs: last - start }))).on('response', () => (last = performance.now()));
  });
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function httpTable(rows: Row[]): string {
  const ceilingOf = (store: string) => rows.find((r) => r.store === store && r.ceiling);
  const head = ['store', 'scenario', 'req/s (2xx)', 'p50 ms', 'p99 ms', 'vs trivial', 'server CPU µs/req', 'CPU vs trivial', 'non-2xx', 'errors'];
  const body = rows.map((r) => {
    const c = ceilingOf(r.store);
    return [
      r.store,
      r.scenario,
      num(r.rate),
      String(r.p50),
      String(r.p99),
      c ? pct(r.rate / c.rate) : '—',
      num(r.cpuPerReq),
      c ? pct(c.cpuPerReq / r.cpuPerReq) : '—',
      String(r.non2xx),
      String(r.errors),
    ];
  });
  return formatTable(head, body);
}

/** Scenarios with a baseline (completions vs plain transitions), side by side. */
function baselineTable(rows: Row[]): string | null {
  const body = rows
    .filter((r) => r.baseline)
    .map((r) => {
      const b = rows.find((x) => x.store === r.store && x.scenario === r.baseline);
      return [
        r.store,
        r.scenario,
        num(r.rate),
        String(r.p50),
        String(r.p99),
        b ? num(b.rate) : '—',
        b ? `${(r.rate / b.rate).toFixed(2)}×` : '—',
        num(r.cpuPerReq),
        b ? `${(r.cpuPerReq / b.cpuPerReq).toFixed(2)}×` : '—',
      ];
    });
  if (body.length === 0) return null;
  return formatTable(
    ['store', 'scenario (HTTP)', 'per s', 'p50 ms', 'p99 ms', 'plain transitions/s', 'rate vs plain', 'server CPU µs each', 'CPU vs plain'],
    body,
  );
}

async function pdfRun(results: Results): Promise<void> {
  const prof = knobs.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', knobs.cpuProfileDir] : [];
  process.stdout.write(`invoice PDF of ${num(knobs.pdfLines)} lines (fresh process)… `);
  const child = spawn(process.execPath, [...prof, '--expose-gc', '--import', 'tsx', 'bench/pdf-bench.ts', '--json', String(knobs.pdfLines)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) {
    results.problems.push(`invoice PDF: the render process exited with ${code}`);
    console.log('failed');
    return;
  }
  const r = JSON.parse(out.trim().split('\n').at(-1)!);
  console.log(`${r.ms} ms`);
  results.tables.set('invoice PDF', [
    [
      num(r.lines),
      num(r.ms),
      num(r.cpuMs),
      num(r.firstByteMs),
      num(r.bytes / 1024),
      num(r.pages),
      num(r.baseRssMiB, 1),
      num(r.peakRssMiB, 1),
      num(r.peakHeapMiB, 1),
      r.retainedHeapMiB === null ? '—' : num(r.retainedHeapMiB, 1),
    ],
  ]);
  if (!(r.bytes > 0) || !(r.pages > 0)) results.problems.push(`invoice PDF: ${r.bytes} bytes, ${r.pages} pages`);
}

/** Commits a second in a run of `commits` that took `ms`. */
const rate = (x: { commits: number; ms: number }) => (x.commits * 1000) / x.ms;

async function durableRun(results: Results): Promise<void> {
  process.stdout.write(`SQLite durable commits (${num(knobs.commits)} per setting)… `);
  const r = await benchDurableCommits(knobs.commits);
  const normal = r.find((x) => x.durability === 'normal')!;
  const label = {
    chantier: "Chantier's: synchronous=NORMAL + WAL fsync off the event loop",
    full: 'synchronous=FULL (fsync inside COMMIT)',
    normal: 'synchronous=NORMAL, no fsync (not durable)',
  };
  const inFlight = (x: DurableCommitResult) => (x.inFlight === 1 ? 'one at a time' : `${x.inFlight} in flight`);
  console.log(r.map((x) => `${x.durability} ${inFlight(x)} ${num(rate(x))}/s`).join(', '));
  results.tables.set(
    'durable commits',
    r.map((x) => [`${label[x.durability]}, ${inFlight(x)}`, num(x.commits), num(rate(x)), num(x.ms / x.commits, 3), `${(rate(x) / rate(normal)).toFixed(2)}×`]),
  );
  // Issue 10's fallback goal: a transition at 80% of the raw durable commit rate, same settings, one at a time.
  const raw = r.find((x) => x.durability === 'chantier' && x.inFlight === 1)!;
  const transition = results.http.find((x) => x.store === 'sqlite' && x.scenario.startsWith('POST /tasks/:id/transitions'));
  if (transition) {
    results.notes.push(
      `sqlite: transitions ${num(transition.rate)}/s = ${((100 * transition.rate) / rate(raw)).toFixed(0)}% of the raw durable commit rate with the same settings, one at a time (${num(rate(raw))}/s)`,
    );
  }
}

/** PostgreSQL's own rate for a transition's work from node-postgres (bench/pg-floor.ts), beside the API's transition. */
async function pgFloorRun(results: Results): Promise<void> {
  process.stdout.write(`PostgreSQL floor (${knobs.duration}s per shape, ${CONNECTIONS} connections)… `);
  const r = await benchPgFloor(PG_URL, CONNECTIONS, knobs.duration * 1000);
  console.log(r.map((x) => `${num(rate(x))}/s`).join(', '));
  const trivial = results.http.find((x) => x.store === 'postgres' && x.ceiling);
  const transition = results.http.find((x) => x.store === 'postgres' && x.scenario.startsWith('POST /tasks/:id/transitions'));
  const pct = (a: number, b: number | undefined) => (b ? `${((100 * a) / b).toFixed(1)}%` : '—');
  results.tables.set(
    'postgres floor',
    r.map((x) => [x.shape, String(x.roundTrips), num(rate(x)), pct(rate(x), trivial?.rate), transition ? `${(transition.rate / rate(x)).toFixed(2)}×` : '—']),
  );
  const write = r[1];
  if (transition && trivial) {
    results.notes.push(
      `postgres: transitions ${num(transition.rate)}/s = ${pct(transition.rate, trivial.rate)} of the bare route; PostgreSQL's own floor for one durable status + history write (one statement, no HTTP) is ${num(rate(write))}/s = ${pct(rate(write), trivial.rate)} of the bare route, and the API's transition runs at ${pct(transition.rate, rate(write))} of it`,
    );
  }
}

const PG_FLOOR_HEAD = [
  'node-postgres, no HTTP, each connection one transaction at a time',
  'round trips',
  'per s',
  'vs the bare route',
  'API transition vs this',
];

/** Calendar arithmetic in the bench process (bench/calendar-bench.ts): what it costs beside a transaction. */
function calendarRun(results: Results): void {
  process.stdout.write('calendar arithmetic… ');
  const rows = benchCalendar();
  console.log('done');
  results.tables.set(
    'calendar',
    rows.map((r) => [r.case, num(r.ops), num(r.nsPerOp / 1000, 2), num(r.cpuNsPerOp / 1000, 2)]),
  );
}

const CALENDAR_HEAD = ['case (four time zones)', 'operations', 'µs each (median of 5)', 'CPU µs each'];

const DURABLE_HEAD = ['SQLite file, WAL, one small write transaction per commit', 'commits', 'per s', 'ms each', 'vs NORMAL without fsync'];

const PDF_HEAD = ['lines', 'ms', 'CPU ms', 'first byte ms', 'KiB', 'pages', 'RSS before MiB', 'peak RSS MiB', 'peak heap MiB', 'live heap near end MiB'];

async function main(): Promise<number> {
  const results: Results = { http: [], tables: new Map(), notes: [], problems: [] };
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  console.log(
    `node ${process.version}, ${cpus().length} CPUs, load average ${load()}; ${CONNECTIONS} connections, keep-alive, ${knobs.duration}s per timed scenario after ${knobs.warmup}s warm-up.`,
  );
  console.log(
    `Completions: ${num(knobs.completions)} per HTTP scenario, ${num(knobs.inProcess)} per in-process loop; scaling to ${num(knobs.scaleMax)} (${knobs.scaleWindow} timed per size, ${knobs.scaleLines} line(s) per sub-task); month-end of ${num(knobs.clients)} clients; PDF of ${num(knobs.pdfLines)} lines.`,
  );
  console.log('The load generator and the SMTP server run on the same machine as the server (and PostgreSQL).');
  console.log(
    knobs.analyze
      ? "PostgreSQL (autovacuum off): after each HTTP scenario's set-up, the tables it grew are analyzed, as chantier serve's worker does every minute (BENCH_ANALYZE=0: not).\n"
      : 'PostgreSQL (autovacuum off): no statistics on what the set-ups wrote (BENCH_ANALYZE=0).\n',
  );
  const sink = await startSmtpSink();
  try {
    for (const store of stores.filter((s) => knobs.stores.includes(s.name))) await benchStore(store, results, sink);
  } finally {
    await sink.close();
  }
  if (only('invoice PDF') && knobs.pdfLines > 0) await pdfRun(results);
  if (only('durable commits') && knobs.commits > 0) await durableRun(results);
  if (only('postgres floor') && knobs.stores.includes('postgres')) await pgFloorRun(results);
  if (only('calendar')) calendarRun(results);
  if (only('web first screen')) {
    const r = webFirstScreen(process.cwd());
    results.tables.set('web first screen', r.rows);
    results.problems.push(...r.problems.map((p) => `web first screen: ${p}`));
  }

  console.log(`\nHTTP (autocannon, ${CONNECTIONS} connections)\n${httpTable(results.http)}`);
  console.log('\n"vs trivial": rate over the trivial route\'s rate in this run. "CPU vs trivial": the trivial route\'s');
  console.log("server CPU per request over this one's: the same ratio, less sensitive to other load on the machine.");
  const baselines = baselineTable(results.http);
  if (baselines) console.log(`\nSub-task completion (5 lines, 2 attachments) under "Consolidate by project" vs a plain transition\n${baselines}`);
  const sections: [string, string[]][] = [
    ...perStoreScenarios.map((s): [string, string[]] => [s.name, ['store', ...s.head]]),
    ['invoice PDF', PDF_HEAD],
    ['durable commits', DURABLE_HEAD],
    ['postgres floor', PG_FLOOR_HEAD],
    ['calendar', CALENDAR_HEAD],
    ['web first screen', WEB_SIZE_HEAD],
  ];
  const titles: Record<string, string> = {
    'consolidation in process': 'Completions in process (service verb, no HTTP), same sub-tasks as above',
    'month-end': `Month-end (scheduled close → invoice issued → email queued → next invoice task; then the outbox worker renders each PDF and sends it to a loopback SMTP server)`,
    'consolidation scaling': `Cost of the n-th consolidation into one main task (${knobs.scaleLines} line(s) per sub-task, no attachment; ${knobs.scaleWindow} completions timed in process per size: ${scaleSizes().map(num).join(', ')}); GET /tasks/{main}/invoice?limit=200 through HTTP, and the page after it`,
    'invoice PDF': 'Invoice PDF (bench/pdf-bench.ts, a fresh process, render to a discarding stream)',
    'postgres floor': `PostgreSQL's own floor for a transition (bench/pg-floor.ts): node-postgres in the bench process, ${CONNECTIONS} connections, ${knobs.duration}s per shape`,
    'durable commits': "Raw SQLite commit rate with Chantier's settings (bench/durable-commits.ts, in the bench process): the cost of durable commits",
    'web: 10,000 consolidated lines': `The web app in Debian's chromium (1280×800): a main task holding ${num(knobs.webSubtasks * 100)} consolidated lines (${num(knobs.webSubtasks)} sub-tasks of 100), from navigation start until its first consolidated row is in the page`,
    calendar:
      "Calendar and time-zone arithmetic (bench/calendar-bench.ts, in the bench process, temporal-polyfill): scheduler occurrences, an invoice's local date",
    'bulk entry': `Bulk entry beside the one-by-one path (over HTTP, ${knobs.connections} requests in flight one by one; BENCH_BULK_N items per bulk request)`,
    'project cycle': `The whole cycle (BENCH_CYCLE_N=${knobs.cycleN} sub-tasks with a line each): created in bulk, each completed one by one over HTTP under "Consolidate by project", one invoice issued, its PDF fetched and read back with pdftotext, checked to the cent`,
    'web first screen':
      "The web app's first screen: index.html's entry script, its stylesheets and preloads, and their static imports (dist/web, gzip -9; lazy screens not counted)",
  };
  for (const [name, head] of sections) {
    const rows = results.tables.get(name);
    if (rows?.length)
      console.log(`\n${titles[name]}\n${formatTable(head, rows, name === 'invoice PDF' ? 0 : name === 'web first screen' || name === 'calendar' ? 1 : 2)}`);
  }
  for (const n of results.notes) console.log(`\n${n}`);
  console.log(`\nload average at the end: ${load()}`);
  if (results.problems.length) {
    console.error(`\n${results.problems.length} check(s) failed:\n${results.problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
