import { z } from 'zod';

export const WallTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour')
  .describe('Wall-clock time in the organization’s time zone, e.g. 17:00');

/** When a scheduled rule fires, in the organization's time zone. */
export const ScheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('daily'), time: WallTime }),
  z.strictObject({ kind: z.literal('weekly'), weekday: z.number().int().min(1).max(7).describe('1 = Monday … 7 = Sunday'), time: WallTime }),
  z.strictObject({
    kind: z.literal('monthly'),
    day: z.union([z.literal('last'), z.number().int().min(1).max(28)]).describe("Day of the month (1–28), or 'last'"),
    time: WallTime,
  }),
]);

export type Schedule = z.output<typeof ScheduleSchema>;
