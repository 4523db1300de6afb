import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { describeEachStore, freshDb } from '../../testing/harness.ts';

describeEachStore('migration 0017-copies-found-by-source', (store) => {
  it('drops the consolidation index of lines, attachments and notes, and makes their source index (org_id, source_id), still unique', async () => {
    const { db, drop, migrateRest } = await freshDb(store, '0016-task-counters-for-all');
    /** Each index of `table` that is its source or consolidation index: its columns, and whether unique. */
    const indexes = async (table: string) => {
      if (store === 'sqlite') {
        const list = (await sql<{ name: string; unique: number }>`select name, "unique" from pragma_index_list(${table})`.execute(db.kysely)).rows;
        const out: Record<string, string> = {};
        for (const ix of list.filter((i) => /_(source_uq|consolidation_idx)$/.test(i.name))) {
          const cols = (await sql<{ name: string }>`select name from pragma_index_info(${ix.name}) order by seqno`.execute(db.kysely)).rows;
          out[ix.name] = `${ix.unique ? 'unique ' : ''}(${cols.map((c) => c.name).join(', ')})`;
        }
        return out;
      }
      const { rows } = await sql<{ indexname: string; indexdef: string }>`
        select indexname, indexdef from pg_indexes where schemaname = current_schema() and tablename = ${table}`.execute(db.kysely);
      return Object.fromEntries(
        rows
          .filter((r) => /_(source_uq|consolidation_idx)$/.test(r.indexname))
          .map((r) => [r.indexname, `${/UNIQUE/.test(r.indexdef) ? 'unique ' : ''}(${/\((.*)\)$/.exec(r.indexdef)![1]})`]),
      );
    };
    try {
      assert.deepEqual(await indexes('task_lines'), {
        task_lines_consolidation_idx: '(org_id, consolidation_id)',
        task_lines_source_uq: 'unique (source_id)',
      });
      assert.equal((await migrateRest())[0], '0017-copies-found-by-source');
      for (const table of ['task_lines', 'attachments', 'notes']) {
        assert.deepEqual(await indexes(table), { [`${table}_source_uq`]: 'unique (org_id, source_id)' }, table);
      }
    } finally {
      await drop();
    }
  });
});
