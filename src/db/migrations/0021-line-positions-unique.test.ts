import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Kysely } from 'kysely';
import { describeEachStore, freshDb } from '../../testing/harness.ts';
import { lineRow, orgWithWorkType, taskRow } from './test-rows.ts';

describeEachStore('migration 0021-line-positions-unique', (store) => {
  it("moves a line that shares its task's position after the task's last, then refuses any two lines at one position", async () => {
    const { db, drop, migrateRest } = await freshDb(store, '0020-rules-generation');
    try {
      const k = db.kysely as unknown as Kysely<any>;
      const now = new Date().toISOString();
      await orgWithWorkType(k, now);
      const task = (id: string, number: number) => taskRow(id, number, now);
      await k
        .insertInto('tasks')
        .values([task('a', 1), task('b', 2)])
        .execute();
      const line = (id: string, task_id: string, position: number) => lineRow(id, task_id, position, now);
      // Task a: three lines at position 2 (l2 keeps it, the smallest id), one at 5; task b: its own position 2.
      await k
        .insertInto('task_lines')
        .values([line('l4', 'a', 2), line('l2', 'a', 2), line('l3', 'a', 2), line('l5', 'a', 5), line('m1', 'b', 2)])
        .execute();
      await k
        .insertInto('task_counters')
        .values([
          { task_id: 'a', org_id: 'o1', next_line_position: 6 },
          { task_id: 'b', org_id: 'o1', next_line_position: 3 },
        ])
        .execute();

      assert.equal((await migrateRest())[0], '0021-line-positions-unique');
      const lines = await k.selectFrom('task_lines').select(['id', 'task_id', 'position']).orderBy('task_id').orderBy('position').execute();
      assert.deepEqual(
        lines.map((l) => [l.task_id, l.id, Number(l.position)]),
        [
          ['a', 'l2', 2],
          ['a', 'l5', 5],
          ['a', 'l3', 6],
          ['a', 'l4', 7],
          ['b', 'm1', 2],
        ],
      );
      const counters = await k.selectFrom('task_counters').select(['task_id', 'next_line_position']).orderBy('task_id').execute();
      assert.deepEqual(
        counters.map((c) => [c.task_id, Number(c.next_line_position)]),
        [
          ['a', 8],
          ['b', 3],
        ],
      );
      await assert.rejects(
        k
          .insertInto('task_lines')
          .values(line('l9', 'a', 5))
          .execute(),
        /unique|duplicate/i,
      );
    } finally {
      await drop();
    }
  });
});
