import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { pino } from 'pino';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDeps } from '../runtime.ts';
import { describeEachStore } from '../testing/harness.ts';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'cli.ts');

// The real command, in its own process, against the store `chantier serve` would use.
describeEachStore('chantier demo (command line)', (store) => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let dropDatabase = async () => {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chantier-demo-'));
    env = { ...process.env, CHANTIER_DATA_DIR: dir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
    if (store === 'postgres') {
      // A database of its own: the command takes only DATABASE_URL, so it cannot be given a schema.
      const url = process.env.TEST_DATABASE_URL!;
      const name = `chantier_demo_${process.pid}_${Date.now().toString(36)}`;
      const admin = async (q: string) => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(q).finally(() => c.end());
      };
      await admin(`create database ${name}`);
      const u = new URL(url);
      u.pathname = `/${name}`;
      env.DATABASE_URL = u.toString();
      dropDatabase = () => admin(`drop database ${name} with (force)`);
    }
  });
  after(async () => {
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  const chantier = async (...args: string[]) => (await run(process.execPath, ['--import', 'tsx', CLI, ...args], { env })).stdout;
  const demo = () => chantier('demo');
  const tokenIn = (out: string) => /API token\s+(\S+)/.exec(out)?.[1];

  it('prints a login, a token and the month-end command, which all work on the configured store, and a fresh token when run again', async () => {
    const first = await demo();
    assert.match(first, /Loaded the demo organization "Excavation Martin & Fibre Kim"/);
    const password = /password\s+(\S+)/.exec(first)?.[1];
    const token1 = tokenIn(first);
    assert.ok(password && token1, first);

    // The month-end command it prints closes Kim's month.
    const monthEnd = /npx chantier run-schedule (\S+)\n/.exec(first)?.[1];
    assert.ok(monthEnd, first);
    assert.match(first, new RegExp(`npm run chantier -- run-schedule ${monthEnd}`));
    const closed = await chantier('run-schedule', monthEnd);
    assert.match(closed, /^Rule "Month-end: close the invoices"/m);
    assert.match(closed, /^ {2}FAC-\d+ +Facture Réseau Boréal inc\. — .+ transition_task done \(open → closed\)$/m);
    assert.match(closed, /^Done: 1 succeeded, 0 failed, 0 skipped\.$/m);

    const second = await demo();
    assert.match(second, /is already loaded/);
    const token2 = tokenIn(second);
    assert.ok(token2 && token2 !== token1, second);
    assert.match(second, new RegExp(`run it now, by hand: npx chantier run-schedule ${monthEnd}$`, 'm'), 'the rule id is given again');

    const deps = await createDeps(loadConfig(env), { log: pino({ level: 'silent' }) });
    const app = await buildApp(deps);
    try {
      for (const token of [token1, token2]) {
        const me = await app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `Bearer ${token}` } });
        assert.equal(me.statusCode, 200, me.body);
        assert.equal(me.json().email, 'martin@martin-kim.example');
      }
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'martin@martin-kim.example', password } });
      assert.equal(login.statusCode, 200, login.body);
      const orgs = await deps.db.kysely.selectFrom('organizations').select('id').execute();
      assert.equal(orgs.length, 1);
      const invoices = await app.inject({ method: 'GET', url: '/api/v1/invoices', headers: { authorization: `Bearer ${token2}` } });
      assert.deepEqual(
        invoices.json().items.map((i: { number: string }) => i.number.replace(/^F-\d{4}-/, 'F-YYYY-')),
        ['F-YYYY-00001'],
      );
    } finally {
      await app.close();
      await deps.db.close();
    }
  });
});
