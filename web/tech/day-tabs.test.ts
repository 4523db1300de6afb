import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tabOf, tasksOfTab, type TabbedTask } from './day-tabs.ts';

const now = new Date('2026-11-29T12:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString();
const task = (o: Partial<TabbedTask>): TabbedTask => ({ statusCategory: 'open', scheduledStart: null, completedAt: null, number: 1, ...o });

describe('tabOf', () => {
  it('puts work in progress and open work scheduled today or earlier under today', () => {
    assert.equal(tabOf(task({ statusCategory: 'active', scheduledStart: days(5) }), now), 'today');
    assert.equal(tabOf(task({ scheduledStart: now.toISOString() }), now), 'today');
    assert.equal(tabOf(task({ scheduledStart: days(-3) }), now), 'today', 'late work stays in sight');
  });

  it('puts later and unscheduled open work under upcoming, completed under done, cancelled nowhere', () => {
    assert.equal(tabOf(task({ scheduledStart: days(2) }), now), 'upcoming');
    assert.equal(tabOf(task({}), now), 'upcoming');
    assert.equal(tabOf(task({ statusCategory: 'done', completedAt: days(-1) }), now), 'done');
    assert.equal(tabOf(task({ statusCategory: 'cancelled', scheduledStart: now.toISOString() }), now), null);
  });
});

describe('tasksOfTab', () => {
  it('orders open work by schedule (unscheduled last) and done work latest first', () => {
    const a = task({ number: 1, scheduledStart: days(3) });
    const b = task({ number: 2 });
    const c = task({ number: 3, scheduledStart: days(2) });
    assert.deepEqual(
      tasksOfTab([a, b, c], 'upcoming', now).map((t) => t.number),
      [3, 1, 2],
    );
    const d = task({ number: 4, statusCategory: 'done', completedAt: days(-2) });
    const e = task({ number: 5, statusCategory: 'done', completedAt: days(-1) });
    assert.deepEqual(
      tasksOfTab([d, e, a], 'done', now).map((t) => t.number),
      [5, 4],
    );
  });
});
