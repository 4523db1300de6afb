import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { schemaForChildProcesses, testStores } from '../testing/harness.ts';
import { freePort } from '../testing/throwaway-postgres.ts';

const SRC = join(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A server process killed with SIGKILL between the work's COMMIT and the stored answer, then a
// normal server on the same store, and the client's retry.
for (const store of testStores()) {
  describe(`Idempotency-Key across a kill -9 after commit [${store}]`, () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    let base: string;
    let dropSchema = async () => {};
    const procs: ChildProcess[] = [];

    const start = async (script: string, args: string[] = []) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', join(SRC, script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      procs.push(proc);
      let out = '';
      proc.stdout!.on('data', (d) => (out += String(d)));
      proc.stderr!.on('data', (d) => (out += String(d)));
      for (let i = 0; i < 2400 && !/ready|is listening/.test(out); i++) await sleep(100); // a busy machine starts slowly
      assert.match(out, /ready|is listening/, out);
      return proc;
    };

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'chantier-crash-'));
      let databaseUrl = '';
      if (store === 'postgres') {
        const fresh = await schemaForChildProcesses('t_crash');
        databaseUrl = fresh.url;
        dropSchema = fresh.drop;
      }
      const port = await freePort();
      base = `http://127.0.0.1:${port}/api/v1`;
      env = {
        ...process.env,
        CHANTIER_DATA_DIR: dir,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        CHANTIER_WORKER: 'off',
        CHANTIER_SCHEDULER: 'off',
      };
    });
    after(async () => {
      for (const p of procs) p.kill('SIGKILL');
      await dropSchema();
      rmSync(dir, { recursive: true, force: true });
    });

    const call = async (method: string, url: string, token?: string, body?: unknown, key?: string) => {
      const r = await fetch(`${base}${url}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: r.status, body: (await r.json()) as any, replayed: r.headers.get('idempotent-replayed') };
    };

    it('a line whose answer was lost when the server died is stored once, and the retry gets its 201', async () => {
      const crashing = await start('testing/crash-after-commit-server.ts');
      const { token } = (
        await call('POST', '/signup', undefined, { orgName: 'Martin', name: 'Martin', email: 'martin@example.com', password: 'correct horse battery' })
      ).body;
      const workTypeId = (await call('GET', '/task-types', token)).body.items.find((t: { key: string }) => t.key === 'work').id;
      // Unkeyed requests are untouched by the fault: it strikes the first keyed one.
      const created = await call('POST', '/tasks', token, { typeId: workTypeId, title: 'Entrée de garage' });
      const line = { description: 'Excavatrice avec opérateur', quantity: '6.5', unit: 'h', unitPriceCents: 14500 };
      const exited = new Promise((resolve) => crashing.once('exit', resolve));
      await assert.rejects(call('POST', `/tasks/${created.body.id}/lines`, token, line, 'line-1'), 'the server died before answering');
      await exited;

      await start('cli.ts', ['serve']);
      const retry = await call('POST', `/tasks/${created.body.id}/lines`, token, line, 'line-1');
      assert.equal(retry.status, 201, JSON.stringify(retry.body));
      assert.equal(retry.replayed, 'true');
      const lines = (await call('GET', `/tasks/${created.body.id}/lines`, token)).body.items;
      assert.equal(lines.length, 1, 'stored once');
      assert.equal(lines[0].amountCents, 94250);
    });
  });
}
