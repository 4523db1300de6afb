// Calendar and time-zone arithmetic in a loop: the scheduler's occurrence computation (a year
// of daily, weekly and month-end occurrences), the invoice path's local date of an instant, a
// wall time to an instant, and the relative dates of created tasks. No database: this is the
// cost of the arithmetic alone, to weigh against the transaction around it.
// Run: `npx tsx bench/calendar-bench.ts [--json]`; `npm run bench` runs it as "calendar"
// (BENCH_ONLY=calendar BENCH_STORES= npm run bench).
import { resolveRelativeDate } from '../src/automation/actions/relative-date.ts';
import { occurrencesBetween } from '../src/automation/schedule/occurrences.ts';
import type { Schedule } from '../src/automation/schedule/schedule.ts';
import { localDate, localParts, zonedToUtc } from '../src/shared/calendar.ts';

export interface CalendarBenchRow {
  case: string;
  /** Operations timed per repetition. */
  ops: number;
  /** Median over the repetitions, in nanoseconds of wall time per operation. */
  nsPerOp: number;
  /** Median process CPU time (user + system) per operation, in ns: less disturbed by a busy machine. */
  cpuNsPerOp: number;
}

const ZONES = ['America/Toronto', 'America/Vancouver', 'Europe/Paris', 'Australia/Sydney'];
const YEAR_START = new Date('2026-01-01T00:00:00Z');
const YEAR_END = new Date('2027-01-01T00:00:00Z');
const REPEATS = 5;

const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];

/** Runs `body` (which performs `ops` operations) REPEATS times after one warm-up; medians per operation. */
function time(name: string, ops: number, body: () => unknown): CalendarBenchRow {
  body();
  const wall: number[] = [];
  const cpu: number[] = [];
  let sink: unknown;
  for (let i = 0; i < REPEATS; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    sink = body();
    wall.push(Number(process.hrtime.bigint() - t0) / ops);
    const c = process.cpuUsage(c0);
    cpu.push(((c.user + c.system) * 1000) / ops);
  }
  if (sink === undefined) throw new Error(`${name} returned nothing`);
  return { case: name, ops, nsPerOp: Math.round(median(wall)), cpuNsPerOp: Math.round(median(cpu)) };
}

/** Every case, each on four zones. */
export function benchCalendar(): CalendarBenchRow[] {
  const schedules: [string, Schedule][] = [
    ['daily 17:00', { kind: 'daily', time: '17:00' }],
    ['weekly Monday 02:30', { kind: 'weekly', weekday: 1, time: '02:30' }],
    ['month-end 17:00', { kind: 'monthly', day: 'last', time: '17:00' }],
  ];
  const rows: CalendarBenchRow[] = [];
  for (const [name, s] of schedules) {
    const perZone = occurrencesBetween(s, ZONES[0], YEAR_START, YEAR_END).length;
    rows.push(
      time(`occurrences in a year, ${name} (per occurrence)`, perZone * ZONES.length, () => ZONES.map((z) => occurrencesBetween(s, z, YEAR_START, YEAR_END))),
    );
  }
  // 2,000 instants four hours apart (at half past): every day of more than a year, DST changes included.
  const instants = Array.from({ length: 2_000 }, (_, i) => new Date(YEAR_START.getTime() + i * 4 * 3_600_000 + 1_800_000));
  rows.push(time('localDate of an instant (invoice date)', instants.length * ZONES.length, () => ZONES.map((z) => instants.map((at) => localDate(at, z)))));
  rows.push(time('localParts of an instant', instants.length * ZONES.length, () => ZONES.map((z) => instants.map((at) => localParts(at, z)))));
  const walls = instants.map((at) => ({ ...localParts(at, 'UTC') }));
  rows.push(time('zonedToUtc of a wall time', walls.length * ZONES.length, () => ZONES.map((z) => walls.map((w) => zonedToUtc(w, z)))));
  const rules = ['same_day', '+30 days', 'first_day_of_next_month', 'last_day_of_month', 'last_day_of_next_month'];
  const days = walls.filter((_, i) => i % 24 === 0);
  rows.push(time('resolveRelativeDate', days.length * rules.length, () => days.map((d) => rules.map((r) => resolveRelativeDate(r, d)))));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = benchCalendar();
  if (process.argv.includes('--json')) for (const r of rows) console.log(JSON.stringify(r));
  else
    for (const r of rows)
      console.log(`${r.case.padEnd(60)} ${String(r.nsPerOp).padStart(9)} ns/op wall ${String(r.cpuNsPerOp).padStart(9)} ns/op CPU  (${r.ops} ops)`);
}
