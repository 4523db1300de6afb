// Every BENCH_* setting of `npm run bench`, read once. Defaults keep the whole run near five
// minutes on a 2-core machine; raise them for the full figures (README, Benchmarks).
const int = (name: string, dflt: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number ≥ 0`);
  return n;
};

export const knobs = {
  /** Seconds of each duration-based HTTP scenario, after BENCH_WARMUP seconds. */
  duration: int('BENCH_DURATION', 10),
  warmup: int('BENCH_WARMUP', 2),
  connections: int('BENCH_CONNECTIONS', 10),
  stores: (process.env.BENCH_STORES ?? 'sqlite,postgres').split(','),
  /** Runs only the scenarios whose name contains one of these `|`-separated parts (the trivial route always runs). */
  only: process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split('|') : undefined,
  /** Commits per setting in the raw SQLite durable-commit run ("durable commits"); 0 skips it. */
  commits: int('BENCH_COMMITS', 2000),
  /** A `node --cpu-prof` profile of the server (and of the PDF run) into this folder. */
  cpuProfileDir: process.env.BENCH_CPU_PROF,
  /** Completions measured per HTTP completion scenario (after 10% as warm-up); each uses up a prepared sub-task. */
  completions: int('BENCH_COMPLETIONS', 1500),
  /** Main tasks the spread completion scenario spreads its sub-tasks over. */
  mains: int('BENCH_MAINS', 20),
  /** Completions per in-process loop. */
  inProcess: int('BENCH_IN_PROCESS', 1000),
  /** The consolidation scaling sizes: 10, 1,000 and this (default 100,000); 0 skips the run. */
  scaleMax: int('BENCH_SCALE', 100_000),
  /** Completions timed around each size. */
  scaleWindow: int('BENCH_SCALE_WINDOW', 50),
  /**
   * 1: ANALYZE after cloning in the scaling run, as a lively autovacuum would have. Default 0:
   * autovacuum is off on these machines and lags in production; a completion's cost must not
   * depend on fresh statistics or a recent vacuum (issue 10).
   */
  scaleAnalyze: int('BENCH_SCALE_ANALYZE', 0) > 0,
  /**
   * 1 (default): on PostgreSQL, after each HTTP scenario's set-up, the tables it grew are analyzed
   * as `chantier serve`'s worker does every minute (housekeeping/statistics.ts). 0: they are left
   * without statistics, as with neither autovacuum nor the worker.
   */
  analyze: int('BENCH_ANALYZE', 1) > 0,
  /** Lines of each sub-task in the scaling run. */
  scaleLines: int('BENCH_SCALE_LINES', 1),
  /** Clients of the month-end run (the figure is 1,000). */
  clients: int('BENCH_CLIENTS', 200),
  /** Lines of the invoice PDF rendered once. */
  pdfLines: int('BENCH_PDF_LINES', 10_000),
  /** Sub-tasks of 100 lines consolidated into the main task the web bench opens (100 = 10,000 lines). */
  webSubtasks: int('BENCH_WEB_SUBTASKS', 100),
  /** Items of each bulk request in the bulk-entry scenario (tasks with a line, lines, CSV rows). */
  bulkN: int('BENCH_BULK_N', 10_000),
  /** Items created one by one (two requests each) for the comparison. */
  bulkOneByOne: int('BENCH_BULK_ONE_BY_ONE', 1_000),
  /** Sub-tasks of the whole project cycle (created in bulk, completed one by one over HTTP, one invoice, its PDF). */
  cycleN: int('BENCH_CYCLE_N', 2_000),
};
