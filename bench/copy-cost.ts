// `tsx bench/copy-cost.ts [sub-tasks] [completions]`: what copying a sub-task's content costs
// SQLite in a consolidating completion (5 lines, 2 attachments, 20 main tasks), statement by
// statement. One completion goes through the app while its statements are recorded; they are then
// replayed directly on copies of the database as it was just before, once per completion, with
// fresh ids and the next sub-task each time, and a COMMIT every 10 completions (as the group
// commit gathers them; its time is shared among the 10). Each copy of the database replays them
// in its own way, in turn, so that a slower moment of the machine touches every way alike:
//   - "as is": the completion as the app runs it;
//   - "no copy": the same, without the statements that copy the lines and attachments and take
//     the lines' positions (what a consolidation would cost SQLite if the main task referred to
//     its sub-tasks' content instead of holding copies).
// Prints each statement's median time and each way's total. Profiling for issue 10, not a
// benchmark: rates come from `npm run bench`.
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complete } from '../src/consolidation/testkit.ts';
import { newId } from '../src/shared/ids.ts';
import { testContext } from '../src/testing/harness.ts';
import { projects } from './completion-kit.ts';

const SUBS = Number(process.argv[2] ?? 400);
const COMPLETIONS = Number(process.argv[3] ?? 350);
const MAINS = 20;
const WARM_UP = 40;
const GROUP = 10;

// Every statement better-sqlite3 runs while `recording`, with its values.
interface Recorded {
  source: string;
  values: unknown[];
}
const recorded: Recorded[] = [];
let recording = false;
const Statement = Object.getPrototypeOf(new SQLite(':memory:').prepare('select 1'));
for (const method of ['run', 'all', 'get']) {
  const original = Statement[method];
  Statement[method] = function (this: { source: string }, ...args: unknown[]) {
    if (recording) recorded.push({ source: this.source, values: args.length === 1 && Array.isArray(args[0]) ? args[0] : args });
    return original.apply(this, args);
  };
}

// The app on a SQLite file, with sub-tasks to complete (completion-kit.ts).
const dir = mkdtempSync(join(tmpdir(), 'chantier-copy-cost-'));
process.env.TEST_SQLITE_FILE = '1';
const ctx = await testContext('sqlite');
const { w, mains, subs } = await projects(ctx, SUBS, MAINS);
for (let i = 0; i < WARM_UP - 1; i++) await complete(w, subs[i]);

// The database as it is before the recorded completion (its file and WAL: nothing is in flight).
const dbFile = (await sql<{ name: string; file: string }>`pragma database_list`.execute(ctx.deps.db.kysely)).rows.find((d) => d.name === 'main')!.file;
const snapshot = join(dir, 'snapshot.db');
for (const ext of ['', '-wal']) copyFileSync(dbFile + ext, snapshot + ext);
const recordedFrom = newId();
const recordedSub = subs[WARM_UP - 1];
const recordedMain = mains[(WARM_UP - 1) % MAINS];
recording = true;
await complete(w, recordedSub);
recording = false;
await ctx.close();

// The ids the completion made (time-ordered: after recordedFrom), to be replaced by new ones each time.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const made = new Set<string>();
for (const r of recorded) for (const v of r.values) if (typeof v === 'string') for (const id of v.match(UUID) ?? []) if (id > recordedFrom) made.add(id);
// The statements of the transaction (the session lookup and the transaction's own BEGIN, savepoints and COMMIT left out).
const statements = recorded.filter((r) => /^\s*(insert|update|select|delete)/i.test(r.source) && !r.source.includes('"sessions"'));

// The statements a completion runs only to copy: the lines' positions taken, the lines and the attachments copied.
const copies = (sql: string) => /^(insert into "(task_lines|attachments)"|update "task_counters")/.test(sql);
if (statements.filter((r) => copies(r.source)).length !== 3) throw new Error('copy-cost: a completion no longer copies with the three statements this expects');
const ways = [
  { label: 'as is', runs: (_sql: string) => true },
  { label: 'no copy', runs: (sql: string) => !copies(sql) },
].map((way, i) => {
  const file = join(dir, `way-${i}.db`);
  for (const ext of ['', '-wal']) copyFileSync(snapshot + ext, file + ext);
  const db = new SQLite(file);
  // As the store's connection (db/open.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('synchronous = NORMAL');
  return { ...way, db, times: new Map<string, number[]>() };
});

const record = (times: Map<string, number[]>, key: string, µs: number) => (times.get(key) ?? times.set(key, []).get(key)!).push(µs);
for (let n = 0; n < COMPLETIONS; n++) {
  // The n-th sub-task after the warm-up, into its own main task, with new ids and line positions.
  const k = WARM_UP + (n % (SUBS - WARM_UP));
  const fresh = new Map([...made].map((id) => [id, newId()]));
  const replayed = (r: Recorded, v: unknown, i: number) => {
    if (v === recordedSub) return subs[k];
    if (v === recordedMain) return mains[k % MAINS];
    if (typeof v === 'number' && i === 2 && r.source.startsWith('insert into "task_lines"')) return 1_000_000 + n * 5;
    return typeof v === 'string' ? v.replace(UUID, (id) => fresh.get(id) ?? id) : v;
  };
  for (const way of ways) {
    if (n % GROUP === 0) way.db.exec('begin immediate');
    for (const r of statements) {
      if (!way.runs(r.source)) continue;
      const statement = way.db.prepare(r.source);
      const values = r.values.map((v, i) => replayed(r, v, i)) as never[];
      const t0 = performance.now();
      if (statement.reader) statement.all(...values);
      else statement.run(...values);
      record(way.times, r.source.replace(/\s+/g, ' ').slice(0, 70), (performance.now() - t0) * 1000);
    }
    if (n % GROUP === GROUP - 1) {
      const t0 = performance.now();
      way.db.exec('commit');
      record(way.times, 'COMMIT (a tenth of it)', ((performance.now() - t0) * 1000) / GROUP);
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${COMPLETIONS} completions replayed each way; median µs per completion`);
console.log(`${'statement'.padEnd(72)}${ways.map((w) => w.label.padStart(10)).join('')}`);
const cell = (xs: number[] | undefined) => (xs ? median(xs).toFixed(1) : '—').padStart(10);
for (const key of ways[0].times.keys()) console.log(`${key.padEnd(72)}${ways.map((w) => cell(w.times.get(key))).join('')}`);
const totals = ways.map((w) => [...w.times.values()].reduce((s, xs) => s + median(xs), 0));
console.log(`${'total'.padEnd(72)}${totals.map((t) => t.toFixed(0).padStart(10)).join('')}`);
for (const way of ways) way.db.close();
rmSync(dir, { recursive: true, force: true });
