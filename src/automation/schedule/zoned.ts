/**
 * Wall-clock time in an IANA time zone, with Intl only (no dependency). DST-correct:
 * a wall time that does not exist (spring forward) moves forward by the gap; one that occurs
 * twice (fall back) is the earlier instant — Temporal's "compatible" choice.
 */
export interface LocalDate {
  year: number;
  month: number; // 1–12
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Formatters are costly to build: one per zone is kept. */
function formatIn(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** Is `timeZone` an IANA zone this runtime knows? */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatIn(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date and time of an instant in a zone (seconds dropped). */
export function localParts(at: Date, timeZone: string): LocalDateTime {
  const p: Record<string, number> = {};
  for (const part of formatIn(timeZone).formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 60_000) * 60_000;
  const l = localParts(new Date(whole), timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) - whole;
}

/** The instant a wall-clock time names in a zone (see the module comment for gaps and overlaps). */
export function zonedToUtc(local: LocalDateTime, timeZone: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // At most one offset change within a day of any instant, in every zone in use.
  const before = wall - offsetAt(wall - 86_400_000, timeZone);
  const after = wall - offsetAt(wall + 86_400_000, timeZone);
  const valid = [before, after].filter((t) => t + offsetAt(t, timeZone) === wall);
  if (valid.length) return new Date(Math.min(...valid));
  return new Date(before); // in the gap: the offset before the change lands past it
}

export const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** A calendar date `days` later (or earlier). */
export function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The same day-of-month clamped, `months` later: used for month stepping from a month's first day. */
export function addMonths(d: LocalDate, months: number): LocalDate {
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const isoWeekday = (d: LocalDate) => ((new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7) + 1;

export const compareDates = (a: LocalDate, b: LocalDate) => a.year - b.year || a.month - b.month || a.day - b.day;

/** "HH:MM" → hours and minutes (the schema has checked the format). */
export function parseTime(hhmm: string): { hour: number; minute: number } {
  const [hour, minute] = hhmm.split(':').map(Number);
  return { hour, minute };
}
