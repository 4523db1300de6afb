import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDeps } from '../runtime.ts';
import { TEST_SELLER } from '../testing/harness.ts';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'cli.ts');

// The real command in its own process, on an SQLite file (the store logic runs on both stores in automation/schedule).
describe('chantier run-schedule (command line)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let ruleId: string;
  let invoiceNumber: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chantier-run-schedule-'));
    env = { ...process.env, CHANTIER_DATA_DIR: dir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
    const deps = await createDeps(loadConfig(env), { log: pino({ level: 'silent' }) });
    const app = await buildApp(deps);
    const call = async (url: string, body: unknown, token?: string) => {
      const r = await app.inject({ method: 'POST', url: `/api/v1${url}`, payload: body as object, headers: token ? { authorization: `Bearer ${token}` } : {} });
      assert.ok(r.statusCode < 300, r.body);
      return r.json();
    };
    try {
      const { token } = await call('/signup', { orgName: 'Fibre Kim', name: 'Kim', email: 'kim@example.com', password: 'correct horse battery' });
      const seller = await app.inject({ method: 'PATCH', url: '/api/v1/organization', payload: TEST_SELLER, headers: { authorization: `Bearer ${token}` } });
      assert.equal(seller.statusCode, 200, seller.body); // ready to invoice: the close charges GST and QST
      const types = (await app.inject({ method: 'GET', url: '/api/v1/task-types', headers: { authorization: `Bearer ${token}` } })).json().items;
      const invoiceType = types.find((t: { key: string }) => t.key === 'invoice').id;
      const client = await call('/clients', { name: 'Réseau Boréal', taxRegion: 'QC' }, token);
      const inv = await call('/tasks', { typeId: invoiceType, title: 'Facture du mois', clientId: client.id }, token);
      invoiceNumber = inv.displayNumber;
      await call(`/tasks/${inv.id}/lines`, { description: 'Épissures', quantity: '12', unitPriceCents: 1800 }, token);
      const rule = await call(
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
      await call(
        '/automations',
        {
          name: 'Email the invoice, open next month',
          enabled: true,
          trigger: { type: 'status_entered', status: 'closed', taskTypeIds: [invoiceType] },
          actions: [
            {
              type: 'send_email',
              to: { addresses: ['compta@boreal.example'] },
              templates: { fr: { subject: 'Facture {task.number}', body: 'Bonjour' }, en: { subject: 'Invoice {task.number}', body: 'Hello' } },
            },
            { type: 'create_task', typeId: invoiceType, title: 'Facture du mois suivant' },
          ],
        },
        token,
      );
    } finally {
      await app.close();
      await deps.db.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the coming month-end early and prints each task, then refuses to run it twice', async () => {
    const first = await run(process.execPath, ['--import', 'tsx', CLI, 'run-schedule', ruleId], { env });
    assert.match(first.stdout, /^Rule "Month-end close"/m);
    assert.match(first.stdout, /America\/Toronto .*run early: the scheduler will not run it again/);
    assert.match(first.stdout, new RegExp(`^  ${invoiceNumber} +Facture du mois +transition_task done \\(open → closed\\)$`, 'm'));
    assert.match(first.stdout, /^Done: 1 succeeded, 0 failed, 0 skipped\.$/m);
    // What it caused: the invoice with its number and total (12 × 18,00 $ + GST + QST), the email, the new task.
    assert.match(first.stdout, /^ +invoice F-\d{4}-00001 issued: \$248\.35$/m);
    assert.match(first.stdout, /^ +1 email queued$/m);
    assert.match(first.stdout, /^ +task FAC-\d+ created: Facture du mois suivant$/m);
    assert.match(first.stdout, /^Invoices issued: 1 \(\$248\.35 in total\)\. Emails queued: 1\. Tasks created: 1\.$/m);

    const second = await run(process.execPath, ['--import', 'tsx', CLI, 'run-schedule', ruleId], { env }).then(
      () => assert.fail('expected a refusal'),
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(second.code, 1);
    assert.match(second.stderr, /already ran \(done, by hand\); to run it anyway, pass --rerun/);
  });
});
