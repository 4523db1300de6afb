import { Temporal } from 'temporal-polyfill';

/**
 * Calendar dates and wall-clock times in IANA time zones, on Temporal (temporal-polyfill).
 * DST-correct: a wall time that does not exist (spring forward) moves forward by the gap; one
 * that occurs twice (fall back) is the earlier instant — Temporal's 'compatible' choice.
 * Dates travel as plain `{ year, month, day }` values so callers can spread and compare them.
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

const zonedAt = (at: Date, timeZone: string) => Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(timeZone);
const plain = (d: LocalDate) => Temporal.PlainDate.from({ year: d.year, month: d.month, day: d.day });
const toLocal = (d: Temporal.PlainDate): LocalDate => ({ year: d.year, month: d.month, day: d.day });

/** The wall-clock date and time of an instant in a zone (seconds dropped). */
export function localParts(at: Date, timeZone: string): LocalDateTime {
  const z = zonedAt(at, timeZone);
  return { year: z.year, month: z.month, day: z.day, hour: z.hour, minute: z.minute };
}

/** 'YYYY-MM-DD' of an instant in a zone (an invoice's date is the seller's local day). */
export function localDate(at: Date, timeZone: string): string {
  return zonedAt(at, timeZone).toPlainDate().toString();
}

/** The instant a wall-clock time names in a zone (see the module comment for gaps and overlaps). */
export function zonedToUtc(local: LocalDateTime, timeZone: string): Date {
  const wall = Temporal.PlainDateTime.from({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute });
  return new Date(wall.toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds);
}

export const daysInMonth = (year: number, month: number) => Temporal.PlainYearMonth.from({ year, month }).daysInMonth;

/** A calendar date `days` later (or earlier). */
export const addDays = (d: LocalDate, days: number): LocalDate => toLocal(plain(d).add({ days }));

/** A calendar date 'YYYY-MM-DD' `days` later (an invoice's due date). */
export const addDaysToDate = (date: string, days: number): string => Temporal.PlainDate.from(date).add({ days }).toString();

/** The same day-of-month clamped, `months` later: used for month stepping from a month's first day. */
export const addMonths = (d: LocalDate, months: number): LocalDate => toLocal(plain(d).add({ months }));

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const isoWeekday = (d: LocalDate) => plain(d).dayOfWeek;

/** Negative, zero or positive as `a` is before, on or after `b`. */
export const compareDates = (a: LocalDate, b: LocalDate) => a.year - b.year || a.month - b.month || a.day - b.day;

/** "HH:MM" → hours and minutes (the schema has checked the format). */
export function parseTime(hhmm: string): { hour: number; minute: number } {
  const [hour, minute] = hhmm.split(':').map(Number);
  return { hour, minute };
}
