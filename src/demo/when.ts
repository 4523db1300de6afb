import { addDays, localParts, parseTime, zonedToUtc } from '../shared/calendar.ts';

/** Calendar helpers for demo data: days relative to "today" in the organization's time zone. */

/** The instant of wall-clock `hh:mm` in `timeZone`, `day` days after the local date of `now`. */
export function localDateTime(now: Date, day: number, hhmm: string, timeZone: string): Date {
  return zonedToUtc({ ...addDays(localParts(now, timeZone), day), ...parseTime(hhmm) }, timeZone);
}

/** "novembre 2026" / "November 2026": the month of `now` in the organization's language. */
export function monthTitle(now: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, month: 'long', year: 'numeric' }).format(now);
}
