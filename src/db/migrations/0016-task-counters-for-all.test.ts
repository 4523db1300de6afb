import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Kysely } from 'kysely';
import { describeEachStore, freshDb } from '../../testing/harness.ts';
import { lineRow, orgWithWorkType, taskRow } from './test-rows.ts';

describeEachStore('migration 0016-task-counters-for-all', (store) => {
  it('gives every task made before it a counter row: one past its last line, 1 without lines; rows already there are kept', async () => {
    const { db, drop, migrateRest } = await freshDb(store, '0015-invoice-line-groups');
    try {
      const k = db.kysely as unknown as Kysely<any>;
      const now = new Date().toISOString();
      await orgWithWorkType(k, now);
      const task = (id: string, number: number) => taskRow(id, number, now);
      await k
        .insertInto('tasks')
        .values([task('lines', 1), task('empty', 2), task('counted', 3)])
        .execute();
      const line = (id: string, task_id: string, position: number) => lineRow(id, task_id, position, now);
      await k
        .insertInto('task_lines')
        .values([line('l1', 'lines', 1), line('l2', 'lines', 7), line('l3', 'counted', 1)])
        .execute();
      await k.insertInto('task_counters').values({ task_id: 'counted', org_id: 'o1', next_line_position: 42 }).execute();

      assert.equal((await migrateRest())[0], '0016-task-counters-for-all');
      const counters = await k.selectFrom('task_counters').select(['task_id', 'org_id', 'next_line_position']).orderBy('task_id').execute();
      assert.deepEqual(
        counters.map((c) => [c.task_id, c.org_id, Number(c.next_line_position)]),
        [
          ['counted', 'o1', 42],
          ['empty', 'o1', 1],
          ['lines', 'o1', 8],
        ],
      );
    } finally {
      await drop();
    }
  });
});
