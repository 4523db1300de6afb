// temporary: per-statement SQLite time over a completion loop (not committed)
import SQLite from 'better-sqlite3';
const times = new Map<string, { n: number; ms: number }>();
const commits: number[] = [];
const probe = new SQLite(':memory:');
const Stmt = Object.getPrototypeOf(probe.prepare('select 1'));
for (const m of ['run', 'all', 'get']) {
  const orig = Stmt[m];
  Stmt[m] = function (this: { source: string }, ...a: unknown[]) {
    const t0 = performance.now();
    try { return orig.apply(this, a); } finally {
      const k = this.source.replace(/\s+/g, ' ').slice(0, 90);
      if (k === 'commit') commits.push(performance.now() - t0);
      const e = times.get(k) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t0; times.set(k, e);
    }
  };
}
process.on('exit', () => {
  const c = [...commits].sort((a, b) => a - b); const q = (p: number) => c[Math.floor(p * (c.length - 1))].toFixed(2);
  console.log(`commits ${c.length}: p10 ${q(0.1)} p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} max ${q(1)} ms; sum ${c.reduce((a, b) => a + b, 0).toFixed(0)} ms; over 5 ms: ${c.filter((x) => x > 5).length} summing ${c.filter((x) => x > 5).reduce((a, b) => a + b, 0).toFixed(0)} ms`);
  const rows = [...times].filter(([, v]) => v.n >= 100).sort((a, b) => b[1].ms - a[1].ms);
  for (const [k, v] of rows.slice(0, 25)) console.log(`${(v.ms * 1000 / v.n).toFixed(1).padStart(7)} µs × ${String(v.n).padStart(6)}  ${k}`);
});
const log = console.log;
console.log = (...a: unknown[]) => { if (String(a[0]).startsWith('analyzed')) { times.clear(); commits.length = 0; } log(...a); };
await import('./profile-loop.ts');
