import type { Schedule } from './schedule.ts';
import { addDays, addMonths, compareDates, daysInMonth, isoWeekday, localParts, parseTime, zonedToUtc, type LocalDate } from '../../shared/calendar.ts';

/** The scheduled dates from `from` on (inclusive), ascending, or descending when `step` is -1. */
function* scheduledDates(s: Schedule, from: LocalDate, step: 1 | -1): Generator<LocalDate> {
  if (s.kind === 'monthly') {
    for (let m = { ...from, day: 1 }; ; m = addMonths(m, step)) {
      const date = { ...m, day: s.day === 'last' ? daysInMonth(m.year, m.month) : s.day };
      if (step === 1 ? compareDates(date, from) >= 0 : compareDates(date, from) <= 0) yield date;
    }
  }
  if (s.kind === 'daily') for (let d = from; ; d = addDays(d, step)) yield d;
  // Weekly: to the first matching weekday in the walking direction, then a week at a time.
  const ahead = (step * (s.weekday - isoWeekday(from)) + 7) % 7;
  for (let d = addDays(from, step * ahead); ; d = addDays(d, step * 7)) yield d;
}

/** The instant a scheduled date's occurrence falls on. */
const instantOf = (s: Schedule, d: LocalDate, timeZone: string) => zonedToUtc({ ...d, ...parseTime(s.time) }, timeZone);

/** The first occurrence strictly after `after`. */
export function nextOccurrence(s: Schedule, timeZone: string, after: Date): Date {
  // A day early: at a fall-back change the wall clock runs an hour back, maybe past midnight.
  for (const d of scheduledDates(s, addDays(localParts(after, timeZone), -1), 1)) {
    const t = instantOf(s, d, timeZone);
    if (t > after) return t;
  }
  throw new Error('unreachable');
}

/** The last occurrence at or before `atOrBefore`. */
export function previousOccurrence(s: Schedule, timeZone: string, atOrBefore: Date): Date {
  for (const d of scheduledDates(s, addDays(localParts(atOrBefore, timeZone), 1), -1)) {
    const t = instantOf(s, d, timeZone);
    if (t <= atOrBefore) return t;
  }
  throw new Error('unreachable');
}

/** Occurrences in (after, until], oldest first; at most `cap`, the latest ones. */
export function occurrencesBetween(s: Schedule, timeZone: string, after: Date, until: Date, cap = 1000): Date[] {
  const out: Date[] = [];
  for (let t = nextOccurrence(s, timeZone, after); t <= until; t = nextOccurrence(s, timeZone, t)) {
    out.push(t);
    if (out.length > cap) out.shift();
  }
  return out;
}
