import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextOccurrence, occurrencesBetween, previousOccurrence } from './occurrences.ts';
import type { Schedule } from './schedule.ts';
import { localParts, zonedToUtc } from '../../shared/calendar.ts';

const TORONTO = 'America/Toronto';
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
const monthEnd: Schedule = { kind: 'monthly', day: 'last', time: '17:00' };

describe('schedule occurrences', () => {
  it('puts the month-end on the last day of each month at 17:00 Toronto time, in winter and in summer', () => {
    assert.equal(iso(nextOccurrence(monthEnd, TORONTO, at('2026-01-31T22:00:00Z'))), '2026-02-28T22:00:00.000Z'); // EST
    assert.equal(iso(nextOccurrence(monthEnd, TORONTO, at('2026-02-28T22:00:00Z'))), '2026-03-31T21:00:00.000Z'); // EDT
    assert.equal(iso(nextOccurrence(monthEnd, TORONTO, at('2026-03-15T12:00:00Z'))), '2026-03-31T21:00:00.000Z');
    assert.equal(iso(nextOccurrence(monthEnd, TORONTO, at('2026-04-01T00:00:00Z'))), '2026-04-30T21:00:00.000Z');
  });

  it('finds the last day of February in common and leap years', () => {
    assert.equal(iso(nextOccurrence(monthEnd, TORONTO, at('2027-02-01T00:00:00Z'))), '2027-02-28T22:00:00.000Z');
    assert.equal(iso(nextOccurrence(monthEnd, TORONTO, at('2028-02-01T00:00:00Z'))), '2028-02-29T22:00:00.000Z');
    assert.equal(iso(nextOccurrence(monthEnd, TORONTO, at('2028-02-29T21:59:59Z'))), '2028-02-29T22:00:00.000Z');
    assert.equal(iso(nextOccurrence(monthEnd, TORONTO, at('2028-02-29T22:00:00Z'))), '2028-03-31T21:00:00.000Z');
    const day28: Schedule = { kind: 'monthly', day: 28, time: '08:00' };
    assert.equal(iso(nextOccurrence(day28, TORONTO, at('2028-02-28T13:00:00Z'))), '2028-03-28T12:00:00.000Z');
  });

  it('keeps a daily 17:00 at 17:00 across the spring and autumn changes (23 h and 25 h apart)', () => {
    const daily: Schedule = { kind: 'daily', time: '17:00' };
    const days = occurrencesBetween(daily, TORONTO, at('2026-03-06T23:00:00Z'), at('2026-03-09T23:00:00Z'));
    assert.deepEqual(days.map(iso), ['2026-03-07T22:00:00.000Z', '2026-03-08T21:00:00.000Z', '2026-03-09T21:00:00.000Z']);
    const autumn = occurrencesBetween(daily, TORONTO, at('2026-10-31T00:00:00Z'), at('2026-11-02T23:00:00Z'));
    assert.deepEqual(autumn.map(iso), ['2026-10-31T21:00:00.000Z', '2026-11-01T22:00:00.000Z', '2026-11-02T22:00:00.000Z']);
  });

  it('moves a time that does not exist (02:30 on the spring change) forward by the gap, to 03:30', () => {
    const early: Schedule = { kind: 'daily', time: '02:30' };
    const runs = occurrencesBetween(early, TORONTO, at('2026-03-07T00:00:00Z'), at('2026-03-09T12:00:00Z'));
    assert.deepEqual(runs.map(iso), ['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z']);
    assert.deepEqual(localParts(runs[1], TORONTO), { year: 2026, month: 3, day: 8, hour: 3, minute: 30 });
  });

  it('runs a time that occurs twice (01:30 on the autumn change) once, at the first one', () => {
    const night: Schedule = { kind: 'daily', time: '01:30' };
    const runs = occurrencesBetween(night, TORONTO, at('2026-10-31T00:00:00Z'), at('2026-11-02T12:00:00Z'));
    assert.deepEqual(runs.map(iso), ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
    // Just after the first 01:30 — the second 01:30 (06:30Z) is not another occurrence.
    assert.equal(iso(nextOccurrence(night, TORONTO, at('2026-11-01T05:30:00Z'))), '2026-11-02T06:30:00.000Z');
  });

  it('counts weekdays from Monday = 1, in the zone (Paris) rather than in UTC', () => {
    const monday: Schedule = { kind: 'weekly', weekday: 1, time: '00:30' };
    // Sunday 2026-03-29 23:00Z is already Monday 01:00 in Paris (CEST since that night).
    assert.equal(iso(nextOccurrence(monday, 'Europe/Paris', at('2026-03-28T12:00:00Z'))), '2026-03-29T22:30:00.000Z');
    assert.equal(iso(nextOccurrence(monday, 'Europe/Paris', at('2026-03-29T22:30:00Z'))), '2026-04-05T22:30:00.000Z');
  });

  it('gives the occurrence at or before an instant, in the southern hemisphere too', () => {
    assert.equal(iso(previousOccurrence(monthEnd, TORONTO, at('2026-03-31T21:00:00Z'))), '2026-03-31T21:00:00.000Z');
    assert.equal(iso(previousOccurrence(monthEnd, TORONTO, at('2026-03-31T20:59:59.999Z'))), '2026-02-28T22:00:00.000Z');
    assert.equal(iso(previousOccurrence(monthEnd, TORONTO, at('2026-04-15T00:00:00Z'))), '2026-03-31T21:00:00.000Z');
    // Sydney: AEDT (+11) in January, AEST (+10) in June.
    assert.equal(iso(previousOccurrence(monthEnd, 'Australia/Sydney', at('2026-02-10T00:00:00Z'))), '2026-01-31T06:00:00.000Z');
    assert.equal(iso(previousOccurrence(monthEnd, 'Australia/Sydney', at('2026-07-10T00:00:00Z'))), '2026-06-30T07:00:00.000Z');
  });

  it('lists the occurrences of a downtime, keeping only the latest ones past the cap', () => {
    const missed = occurrencesBetween(monthEnd, TORONTO, at('2026-01-15T00:00:00Z'), at('2026-04-05T00:00:00Z'));
    assert.deepEqual(missed.map(iso), ['2026-01-31T22:00:00.000Z', '2026-02-28T22:00:00.000Z', '2026-03-31T21:00:00.000Z']);
    const capped = occurrencesBetween({ kind: 'daily', time: '09:00' }, TORONTO, at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), 10);
    assert.equal(capped.length, 10);
    assert.equal(iso(capped.at(-1)!), '2025-12-31T14:00:00.000Z');
  });

  it('converts every wall-clock time of a year back to its instant (outside the autumn repeated hour)', () => {
    for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 37 * 60_000) {
      const local = localParts(new Date(t), TORONTO);
      const back = zonedToUtc(local, TORONTO).getTime();
      const repeated = local.month === 11 && local.day === 1 && local.hour === 1;
      if (!repeated) assert.equal(back, Math.floor(t / 60_000) * 60_000, new Date(t).toISOString());
      else assert.equal(back, Date.parse('2026-11-01T05:00:00Z') + local.minute * 60_000);
    }
  });
});
