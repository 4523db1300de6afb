import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Kysely } from 'kysely';
import { describeEachStore, freshDb } from '../../testing/harness.ts';

/** The Invoice workflow organizations were seeded with before 0009. */
const OLD_INVOICE_TRANSITIONS = [
  ['open', 'closed'],
  ['closed', 'sent'],
  ['closed', 'paid'],
  ['sent', 'paid'],
  ['open', 'cancelled'],
  ['closed', 'cancelled'],
  ['sent', 'cancelled'],
].map(([from, to]) => ({ from, to }));

describeEachStore('migration 0009-frozen-billing-facts', (store) => {
  it("drops closed → cancelled and sent → cancelled from existing organizations' Invoice workflow, and nothing else", async () => {
    const { db, drop, migrateRest } = await freshDb(store, '0007-client-search');
    try {
      const now = new Date().toISOString();
      const k = db.kysely as unknown as Kysely<any>;
      await k
        .insertInto('organizations')
        .values({ id: 'o1', name: 'Org', locale: 'fr-CA', time_zone: 'America/Toronto', currency: 'CAD', created_at: now, updated_at: now })
        .execute();
      const statuses = ['open', 'closed', 'sent', 'paid', 'cancelled'].map((key) => ({
        key,
        label: { fr: key, en: key },
        category: key === 'open' ? 'open' : key === 'cancelled' ? 'cancelled' : 'done',
      }));
      const type = (id: string, key: string, billing: number) => ({
        id,
        org_id: 'o1',
        key,
        label_fr: key,
        label_en: key,
        prefix: 'F',
        billing,
        created_at: now,
        updated_at: now,
        version: 3,
        workflow: JSON.stringify({ initial: 'open', statuses, transitions: OLD_INVOICE_TRANSITIONS }),
      });
      await k
        .insertInto('task_types')
        .values([type('t1', 'invoice', 1), type('t2', 'custom', 1)])
        .execute();
      await migrateRest();
      const rows = await k.selectFrom('task_types').select(['id', 'workflow', 'version']).orderBy('id').execute();
      const transitions = (r: { workflow: string }) => (JSON.parse(r.workflow).transitions as { from: string; to: string }[]).map((t) => `${t.from}→${t.to}`);
      assert.deepEqual(transitions(rows[0]), ['open→closed', 'closed→sent', 'closed→paid', 'sent→paid', 'open→cancelled']);
      assert.equal(rows[0].version, 4);
      assert.equal(transitions(rows[1]).length, 7, "an admin's own billing type is left as it is");
    } finally {
      await drop();
    }
  });
});
