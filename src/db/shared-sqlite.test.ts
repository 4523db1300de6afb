import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDeps } from '../runtime.ts';
import { TEST_SELLER } from '../testing/harness.ts';
import { freePort } from '../testing/throwaway-postgres.ts';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'cli.ts');
const INVOICES = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The README's month-end on SQLite: `chantier serve` under load, `chantier run-schedule` and
// `chantier worker`, three processes on one database file.
describe('one SQLite file shared by serve, run-schedule and worker under load', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let base: string;
  let token: string;
  let ruleId: string;
  let workTypeId: string;
  const children: { name: string; proc: ChildProcess; output: string[] }[] = [];

  const startChild = (name: string, args: string[]) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    proc.stdout!.on('data', (d) => output.push(String(d)));
    proc.stderr!.on('data', (d) => output.push(String(d)));
    children.push({ name, proc, output });
    return output;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chantier-shared-sqlite-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}/api/v1`;
    env = {
      ...process.env,
      CHANTIER_DATA_DIR: dir,
      DATABASE_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CHANTIER_WORKER: 'off',
      CHANTIER_SCHEDULER: 'off',
      SMTP_URL: '',
    };
    const deps = await createDeps(loadConfig(env), { log: pino({ level: 'silent' }) });
    const app = await buildApp(deps);
    const call = async (method: string, url: string, body?: unknown) => {
      const r = await app.inject({
        method: method as 'POST',
        url: `/api/v1${url}`,
        payload: body as object,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      assert.ok(r.statusCode < 300, r.body);
      return r.json();
    };
    try {
      token = (await call('POST', '/signup', { orgName: 'Kim', name: 'Kim', email: 'kim@example.com', password: 'correct horse battery' })).token;
      await call('PATCH', '/organization', TEST_SELLER); // ready to invoice: the close charges HST
      const types = (await call('GET', '/task-types')).items;
      const invoiceType = types.find((t: { key: string }) => t.key === 'invoice').id;
      workTypeId = types.find((t: { key: string }) => t.key === 'work').id;
      const client = await call('POST', '/clients', { name: 'Réseau Boréal', taxRegion: 'ON' });
      for (let i = 0; i < INVOICES; i++) {
        const inv = await call('POST', '/tasks', { typeId: invoiceType, title: `Facture ${i}`, clientId: client.id });
        await call('POST', `/tasks/${inv.id}/lines`, { description: 'Épissures', quantity: '1', unitPriceCents: 1000 + i });
      }
      ruleId = (
        await call('POST', '/automations', {
          name: 'Month-end close',
          enabled: true,
          trigger: {
            type: 'schedule',
            schedule: { kind: 'monthly', day: 'last', time: '17:00' },
            target: { taskTypeIds: [invoiceType], statusCategory: 'open', hasContent: true },
          },
          actions: [{ type: 'transition_task', to: 'closed' }],
        })
      ).id;
      await call('POST', '/automations', {
        name: 'Email the invoice',
        enabled: true,
        trigger: { type: 'status_entered', status: 'closed', taskTypeIds: [invoiceType] },
        actions: [
          {
            type: 'send_email',
            to: { addresses: ['compta@boreal.example'] },
            templates: { fr: { subject: 'Facture {task.number}', body: 'Bonjour' }, en: { subject: 'Invoice {task.number}', body: 'Hello' } },
          },
        ],
      });
    } finally {
      await app.close();
      await deps.db.close();
    }
    const serveLog = startChild('serve', ['serve']);
    for (let i = 0; i < 2400 && !serveLog.join('').includes('is listening'); i++) await sleep(100);
    startChild('worker', ['worker']);
  });

  after(() => {
    for (const c of children) c.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: string, url: string, body?: unknown) => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: (await r.json()) as any };
  };

  it('fails nothing and doubles nothing', async () => {
    const statuses: number[] = [];
    let loading = true;
    // Read-then-write transactions on the server while the month-end writes from another process.
    const client = async (n: number) => {
      for (let i = 0; loading; i++) {
        const task = await call('POST', '/tasks', { typeId: workTypeId, title: `Travail ${n}-${i}` });
        statuses.push(task.status);
        if (task.status !== 201) continue;
        statuses.push((await call('POST', `/tasks/${task.body.id}/lines`, { description: 'Pose', quantity: '2', unitPriceCents: 500 })).status);
        statuses.push((await call('POST', `/tasks/${task.body.id}/transitions`, { to: 'completed' })).status);
      }
    };
    const load = Promise.all([1, 2, 3, 4].map(client));
    await sleep(300);
    const monthEnd = await run(process.execPath, ['--import', 'tsx', CLI, 'run-schedule', ruleId], { env }).finally(() => {
      loading = false;
    });
    await load;
    assert.match(monthEnd.stdout, new RegExp(`^Done: ${INVOICES} succeeded, 0 failed, 0 skipped\\.$`, 'm'), monthEnd.stdout);
    assert.ok(statuses.length > 30, `load ran (${statuses.length} requests)`);
    assert.deepEqual([...new Set(statuses)].sort(), [200, 201], 'every request succeeded');

    const invoices = (await call('GET', '/invoices?limit=200')).body.items as { number: string }[];
    assert.equal(invoices.length, INVOICES);
    assert.equal(new Set(invoices.map((i) => i.number)).size, INVOICES, 'gapless, none twice');
    // The separate worker delivers each queued email once (no SMTP: .eml files).
    // The folder appears with the first email.
    const emails = () => (existsSync(join(dir, 'outbox')) ? readdirSync(join(dir, 'outbox')).filter((f) => f.endsWith('.eml')).length : 0);
    for (let i = 0; i < 600 && emails() < INVOICES; i++) await sleep(100);
    assert.equal(emails(), INVOICES);
    for (const c of children) {
      assert.equal(c.proc.exitCode, null, `${c.name} still runs`);
      assert.doesNotMatch(c.output.join(''), /SQLITE_BUSY|"level":50/, `${c.name} logged no error`);
    }
  });
});
