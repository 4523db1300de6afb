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

  const demo = async () => (await run(process.execPath, ['--import', 'tsx', CLI, 'demo'], { env })).stdout;
  const tokenIn = (out: string) => /API token\s+(\S+)/.exec(out)?.[1];

  it('prints a login and a token that work on the configured store, and prints a fresh token when run again', async () => {
    const first = await demo();
    assert.match(first, /Loaded the demo organization "Excavation Martin & Fibre Kim"/);
    const password = /password\s+(\S+)/.exec(first)?.[1];
    const token1 = tokenIn(first);
    assert.ok(password && token1, first);

    const second = await demo();
    assert.match(second, /is already loaded/);
    const token2 = tokenIn(second);
    assert.ok(token2 && token2 !== token1, second);

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
    } finally {
      await app.close();
      await deps.db.close();
    }
  });
});
