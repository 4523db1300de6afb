import { z } from 'zod';
import { invalid } from '../../shared/errors.ts';
import { WallTime } from '../schedule/schedule.ts';
import { addDays, compareDates, localParts, parseTime, zonedToUtc, type LocalDate } from '../../shared/calendar.ts';
import { RelativeDate, resolveRelativeDate } from './relative-date.ts';

/** When the created task is scheduled, relative to the trigger's day in the organization's time zone. */
export const TaskScheduleParams = z.strictObject({
  start: RelativeDate,
  startTime: WallTime.default('08:00'),
  end: RelativeDate.optional(),
  endTime: WallTime.default('17:00'),
});
export type TaskScheduleParams = z.output<typeof TaskScheduleParams>;

/** The scheduled start and end (ISO) for a trigger at `moment`. */
export function scheduleFor(p: TaskScheduleParams, moment: Date, timeZone: string): { scheduledStart: string; scheduledEnd?: string } {
  const day = localParts(moment, timeZone);
  const at = (rule: string, time: string) => zonedToUtc({ ...resolveRelativeDate(rule, day), ...parseTime(time) }, timeZone).toISOString();
  return { scheduledStart: at(p.start, p.startTime), ...(p.end ? { scheduledEnd: at(p.end, p.endTime) } : {}) };
}

const minutes = (hhmm: string) => parseTime(hhmm).hour * 60 + parseTime(hhmm).minute;

/** Refuses, at save, an end that falls before the start for some trigger day (every day of a leap year is tried). */
export function checkTaskSchedule(p: TaskScheduleParams): void {
  if (!p.end) return;
  for (let d: LocalDate = { year: 2028, month: 1, day: 1 }; d.year === 2028; d = addDays(d, 1)) {
    const start = resolveRelativeDate(p.start, d);
    const end = resolveRelativeDate(p.end, d);
    if ((compareDates(end, start) || minutes(p.endTime) - minutes(p.startTime)) < 0) {
      throw invalid(
        'invalid_schedule',
        `the end (${p.end} ${p.endTime}) falls before the start (${p.start} ${p.startTime}) for a trigger on ${d.month}/${d.day}`,
        {
          field: 'schedule.end',
        },
      );
    }
  }
}
