/** Calendar helpers for demo data: days relative to "today" in the organization's time zone. */

/** The instant of wall-clock `hh:mm` in `timeZone`, `day` days after the local date of `now`. */
export function localDateTime(now: Date, day: number, hhmm: string, timeZone: string): Date {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(now)
    .split('-')
    .map(Number);
  const [hh, mm] = hhmm.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d + day, hh, mm);
  // The zone's offset at that wall time; checked twice so a DST change in between is honoured.
  let t = wall - offsetMs(new Date(wall), timeZone);
  t = wall - offsetMs(new Date(t), timeZone);
  return new Date(t);
}

function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** "novembre 2026" / "November 2026": the month of `now` in the organization's language. */
export function monthTitle(now: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, month: 'long', year: 'numeric' }).format(now);
}
