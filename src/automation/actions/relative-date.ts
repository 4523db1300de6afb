import { z } from 'zod';
import { addDays, addMonths, daysInMonth, type LocalDate } from '../../shared/calendar.ts';

/**
 * A date relative to the trigger's day, in the organization's time zone:
 * `same_day`, `+N days` (1–365), `first_day_of_next_month`, `last_day_of_month`, `last_day_of_next_month`.
 */
export const RelativeDate = z
  .string()
  .regex(/^(same_day|first_day_of_next_month|last_day_of_month|last_day_of_next_month|\+([1-9]\d?|[12]\d\d|3[0-5]\d|36[0-5]) days?)$/, {
    message: 'one of same_day, +N days (1–365), first_day_of_next_month, last_day_of_month, last_day_of_next_month',
  });

/** The calendar date a relative date names, counted from the trigger's local date. */
export function resolveRelativeDate(rule: string, from: LocalDate): LocalDate {
  const days = /^\+(\d+) days?$/.exec(rule);
  if (days) return addDays(from, Number(days[1]));
  const first = { ...from, day: 1 };
  switch (rule) {
    case 'same_day':
      return from;
    case 'first_day_of_next_month':
      return addMonths(first, 1);
    case 'last_day_of_month':
      return { ...from, day: daysInMonth(from.year, from.month) };
    case 'last_day_of_next_month': {
      const next = addMonths(first, 1);
      return { ...next, day: daysInMonth(next.year, next.month) };
    }
  }
  throw new Error(`unknown relative date "${rule}"`);
}
