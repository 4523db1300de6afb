import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const CLI = join(import.meta.dirname, '..', 'cli.ts');

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `chantier serve` in its own process; `until` stops waiting (SIGTERM) once the output matches. */
function serve(env: NodeJS.ProcessEnv, args: string[], until?: RegExp, timeoutMs = 60_000): Promise<Ended & { matched: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let matched = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`chantier serve still running after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    const check = () => {
      if (until && !matched && until.test(stdout)) {
        matched = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', (d) => {
      stdout += d;
      check();
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, matched });
    });
  });
}

describe('chantier serve (command line)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let busy: Server;
  let busyPort: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chantier-serve-'));
    env = { ...process.env, CHANTIER_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'info', SMTP_URL: '' };
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    busyPort = (busy.address() as { port: number }).port;
  });
  after(() => {
    busy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits non-zero with a clear message when the port is taken, starting no background loop', async () => {
    const r = await serve(env, ['--port', String(busyPort), '--host', '127.0.0.1']);
    assert.notEqual(r.code, 0, 'a failed exit');
    assert.notEqual(r.code, null, 'it exited on its own');
    assert.match(r.stderr, new RegExp(`chantier: cannot listen on 127\\.0\\.0\\.1:${busyPort}: the port is already in use \\(EADDRINUSE\\)`));
    assert.doesNotMatch(r.stdout, /Chantier is listening|background loops/);
  });

  it('refuses to start on an environment variable it cannot use, naming it', async () => {
    const r = await serve({ ...env, LOG_LEVEL: 'verbose', CHANTIER_PUBLIC_URL: 'chantier.example.com' }, ['--port', '0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^chantier: LOG_LEVEL must be one of .*\(it is "verbose"\); CHANTIER_PUBLIC_URL must be the http:\/\/ or https:\/\/ address/m);
  });

  it('says at start which store, which mail transport and which background loops it runs, and stops on SIGTERM', async () => {
    const r = await serve(env, ['--port', '0', '--host', '127.0.0.1'], /Chantier is listening/);
    assert.ok(r.matched, r.stdout + r.stderr);
    assert.equal(r.code, 0, r.stderr);
    const line = r.stdout
      .split('\n')
      .map((l) => (l.startsWith('{') ? JSON.parse(l) : {}))
      .find((l) => /Chantier is listening/.test(l.msg ?? ''));
    assert.equal(line.store, `SQLite ${join(dir, 'chantier.db')}`);
    assert.equal(line.mail, `.eml files in ${dir}/outbox (no SMTP_URL)`);
    assert.deepEqual(line.loops, ['outbox worker', 'scheduler']);
    assert.match(line.msg, /background loops: outbox worker, scheduler$/);

    const apart = await serve(
      { ...env, CHANTIER_WORKER: 'off', CHANTIER_SCHEDULER: 'off', SMTP_URL: 'smtp://mailer:secret@mail.example:2525' },
      ['--port', '0', '--host', '127.0.0.1'],
      /Chantier is listening/,
    );
    const line2 = apart.stdout
      .split('\n')
      .map((l) => (l.startsWith('{') ? JSON.parse(l) : {}))
      .find((l) => /Chantier is listening/.test(l.msg ?? ''));
    assert.deepEqual(line2.loops, []);
    assert.equal(line2.mail, 'SMTP smtp://mail.example:2525');
    assert.doesNotMatch(apart.stdout, /secret/, 'no password in the log');
  });
});
