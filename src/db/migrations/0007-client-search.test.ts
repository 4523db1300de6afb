import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachStore, freshDb } from '../../testing/harness.ts';
import { orgRow } from './test-rows.ts';

describeEachStore('migration 0007-client-search', (store) => {
  it('fills the search form of the names of clients that existed before it', async () => {
    const { db, drop, migrateRest } = await freshDb(store, '0006-attachments-by-source');
    try {
      const now = new Date().toISOString();
      const k = db.kysely as unknown as import('kysely').Kysely<any>;
      await orgRow(k, now);
      await k
        .insertInto('clients')
        .values({
          id: 'c1',
          org_id: 'o1',
          name: 'Œuvres ÉRABLE',
          billing_emails: '[]',
          language: 'fr',
          tax_region: 'QC',
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
      assert.deepEqual(await migrateRest(), ['0007-client-search', ...(await laterThan7())]);
      const row = await k.selectFrom('clients').select('search_name').where('id', '=', 'c1').executeTakeFirstOrThrow();
      assert.equal(row.search_name, 'oeuvres erable');
    } finally {
      await drop();
    }
  });
});

async function laterThan7(): Promise<string[]> {
  const { migrations } = await import('./index.ts');
  return Object.keys(migrations).filter((name) => name > '0007-client-search');
}
