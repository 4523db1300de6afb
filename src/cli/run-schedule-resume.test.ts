import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { sharedStore, TEST_SELLER, testStores, type SharedStore } from '../testing/harness.ts';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'cli.ts');
const INVOICES = 120;

// The real command, killed with SIGKILL half-way through an early month-end, then --rerun.
for (const store of testStores()) {
  describe(`chantier run-schedule --rerun after a killed run [${store}]`, () => {
    let world: SharedStore;
    let ruleId: string;

    before(async () => {
      world = await sharedStore(store, 'resume');
      const { call } = world;
      const { token } = await call('POST', '/signup', { orgName: 'Fibre Kim', name: 'Kim', email: 'kim@example.com', password: 'correct horse battery' });
      await call('PATCH', '/organization', TEST_SELLER, token); // ready to invoice: the close charges HST
      const types = await call('GET', '/task-types', undefined, token);
      const invoiceType = types.items.find((t: { key: string }) => t.key === 'invoice').id;
      const client = await call('POST', '/clients', { name: 'Réseau Boréal', taxRegion: 'ON' }, token);
      for (let i = 0; i < INVOICES; i++) {
        const inv = await call('POST', '/tasks', { typeId: invoiceType, title: `Facture ${i}`, clientId: client.id }, token);
        await call('POST', `/tasks/${inv.id}/lines`, { description: 'Épissures', quantity: '1', unitPriceCents: 1000 + i }, token);
      }
      const rule = await call(
        'POST',
        '/automations',
        {
          name: 'Month-end close',
          enabled: true,
          trigger: {
            type: 'schedule',
            schedule: { kind: 'monthly', day: 'last', time: '17:00' },
            target: { taskTypeIds: [invoiceType], statusCategory: 'open', hasContent: true },
          },
          actions: [{ type: 'transition_task', to: 'closed' }],
        },
        token,
      );
      ruleId = rule.id;
      await world.closeApp();
    });
    after(() => world.close());

    const invoices = () => world.deps.db.kysely.selectFrom('invoices').select(['task_id', 'total_cents']).execute();

    it('finishes exactly the tasks the killed run had not done, in the occurrence it had started', async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'run-schedule', ruleId], { env: world.env, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      for (let i = 0; i < 2000 && (await invoices()).length < 10; i++) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGKILL');
      await exited;
      const before = (await invoices()).length;
      assert.ok(before >= 10 && before < INVOICES, `killed half-way (${before} of ${INVOICES} issued)`);
      const [occurrence] = await world.deps.db.kysely.selectFrom('schedule_occurrences').selectAll().where('rule_id', '=', ruleId).execute();
      assert.equal(occurrence.state, 'running', 'the kill left the occurrence running');

      const rerun = await run(process.execPath, ['--import', 'tsx', CLI, 'run-schedule', ruleId, '--rerun'], { env: world.env });
      assert.match(rerun.stdout, new RegExp(`^Occurrence .*\\(${occurrence.occurrence_at.replace(/\./g, '\\.')}\\)`, 'm'), rerun.stdout);
      assert.match(rerun.stdout, new RegExp(`^Resumed: ${before} tasks done before were not run again\\.$`, 'm'), rerun.stdout);
      assert.match(rerun.stdout, new RegExp(`^Done: ${INVOICES - before} succeeded, 0 failed, 0 skipped\\.$`, 'm'), rerun.stdout);
      const all = await invoices();
      assert.equal(all.length, INVOICES, 'every invoice issued');
      assert.equal(new Set(all.map((i) => i.task_id)).size, INVOICES, 'none twice');
      const occurrences = await world.deps.db.kysely
        .selectFrom('schedule_occurrences')
        .select(['occurrence_at', 'state'])
        .where('rule_id', '=', ruleId)
        .execute();
      assert.deepEqual(occurrences, [{ occurrence_at: occurrence.occurrence_at, state: 'done' }], 'no other occurrence ran');
    });
  });
}
