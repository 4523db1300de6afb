import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { templates } from '../mail/testkit.ts';
import { freePort, throwawayPostgres, type ThrowawayPostgres } from '../testing/throwaway-postgres.ts';

const CLI = join(import.meta.dirname, '..', 'cli.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

// Real processes (`chantier serve`, `chantier worker`) on a PostgreSQL the test stops and starts.
describe('a PostgreSQL restart', () => {
  let pg: ThrowawayPostgres;
  let dataDir: string;
  let base: string;
  const children: { name: string; proc: ChildProcess; output: string[] }[] = [];

  const startChild = (name: string, args: string[], env: NodeJS.ProcessEnv) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    proc.stdout!.on('data', (d) => output.push(String(d)));
    proc.stderr!.on('data', (d) => output.push(String(d)));
    children.push({ name, proc, output });
    return output;
  };

  before(async () => {
    pg = await throwawayPostgres();
    dataDir = mkdtempSync(join(tmpdir(), 'chantier-outage-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}/api/v1`;
    const env = {
      ...process.env,
      DATABASE_URL: pg.url,
      CHANTIER_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CHANTIER_WORKER: 'off',
      SMTP_URL: '',
    };
    const serveLog = startChild('serve', ['serve'], env);
    await until('the server to listen', async () => (serveLog.join('').includes('is listening') ? true : undefined), 240_000);
    startChild('worker', ['worker'], env);
    await until('the worker to start', async () => (/outbox worker \S+ started/.test(children[1].output.join('')) ? true : undefined), 240_000);
  });

  after(async () => {
    for (const c of children) c.proc.kill('SIGKILL');
    await pg?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, url: string, token?: string, body?: unknown) => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: (await r.json()) as any };
  };

  it('kills no process: requests during the outage get 503 database_unavailable, and work resumes after it', async () => {
    const { token } = (await call('POST', '/signup', undefined, { orgName: 'Kim', name: 'Kim', email: 'kim@example.com', password: 'correct horse battery' }))
      .body;
    const workTypeId = (await call('GET', '/task-types', token)).body.items.find((t: { key: string }) => t.key === 'work').id;
    const rule = await call('POST', '/automations', token, {
      name: 'Email on completion',
      enabled: true,
      trigger: { type: 'status_entered', status: 'completed', taskTypeIds: [workTypeId] },
      actions: [{ type: 'send_email', to: { addresses: ['ops@example.com'] }, templates }],
    });
    assert.equal(rule.status, 201, JSON.stringify(rule.body));
    const task = await call('POST', '/tasks', token, { typeId: workTypeId, title: 'Across the restart' });
    assert.equal(task.status, 201);

    await pg.stop();
    const during = await call('GET', '/tasks', token);
    assert.equal(during.status, 503, JSON.stringify(during.body));
    assert.equal(during.body.error.code, 'database_unavailable');
    const write = await call('POST', `/tasks/${task.body.id}/transitions`, token, { to: 'completed' });
    assert.equal(write.status, 503);
    await sleep(2500); // the worker's loop meets the outage too
    await pg.start();

    await until('the server to answer again', async () => ((await call('GET', '/tasks', token)).status === 200 ? true : undefined));
    const done = await call('POST', `/tasks/${task.body.id}/transitions`, token, { to: 'completed' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    // The separate worker delivers the email queued after the restart (no SMTP: an .eml file).
    await until('the worker to deliver', async () => (readdirSync(join(dataDir, 'outbox')).some((f) => f.endsWith('.eml')) ? true : undefined), 30_000);
    for (const c of children) {
      assert.equal(c.proc.exitCode, null, `${c.name} is still running:\n${c.output.join('').slice(-2000)}`);
      assert.doesNotMatch(c.output.join(''), /Unhandled 'error' event/);
    }
  });
});
