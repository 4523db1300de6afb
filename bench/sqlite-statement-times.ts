// `tsx bench/sqlite-statement-times.ts sqlite [n] [plain|complete]` (TEST_SQLITE_FILE=1 for a file,
// as `npm start` runs; PROFILE_ANALYZE=1 to start counting at the loop): profile-loop.ts's loop,
// with every SQLite statement timed where better-sqlite3 runs it. Prints each statement's mean
// time and count over the loop, and the spread of the COMMITs (a group commit's, or a
// checkpoint's when SQLite runs one inside it). For profiling (issue 10), not a benchmark.
import SQLite from 'better-sqlite3';

const times = new Map<string, { n: number; ms: number }>();
const commits: number[] = [];
const Statement = Object.getPrototypeOf(new SQLite(':memory:').prepare('select 1'));
for (const method of ['run', 'all', 'get']) {
  const run = Statement[method];
  Statement[method] = function (this: { source: string }, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return run.apply(this, args);
    } finally {
      const ms = performance.now() - t0;
      const text = this.source.replace(/\s+/g, ' ').slice(0, 90);
      if (text === 'commit') commits.push(ms);
      const seen = times.get(text) ?? { n: 0, ms: 0 };
      seen.n++;
      seen.ms += ms;
      times.set(text, seen);
    }
  };
}

process.on('exit', () => {
  for (const [text, t] of [...times]
    .filter(([, t]) => t.n >= 100)
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 25)) {
    console.log(`${((t.ms * 1000) / t.n).toFixed(1).padStart(8)} µs × ${String(t.n).padStart(6)}  ${text}`);
  }
  if (commits.length === 0) return;
  const sorted = [...commits].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.floor(p * (sorted.length - 1))].toFixed(2);
  const slow = sorted.filter((ms) => ms > 5);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0).toFixed(0);
  console.log(
    `COMMITs: ${sorted.length}, p50 ${at(0.5)} ms, p90 ${at(0.9)}, p99 ${at(0.99)}, max ${at(1)}; ${sum(sorted)} ms in all, ${slow.length} over 5 ms (${sum(slow)} ms)`,
  );
});

// The loop's own set-up is not counted: profile-loop says "analyzed" (PROFILE_ANALYZE=1) just before it starts.
const log = console.log;
console.log = (...args: unknown[]) => {
  if (String(args[0]).startsWith('analyzed')) {
    times.clear();
    commits.length = 0;
  }
  log(...args);
};
await import('./profile-loop.ts');
