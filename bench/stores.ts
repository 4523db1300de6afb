import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface BenchStore {
  name: 'sqlite' | 'postgres';
  /** Sets up an empty store; returns the server's environment, or why the store is skipped. */
  open(): Promise<{ env: NodeJS.ProcessEnv; close(): Promise<void> } | { skip: string }>;
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'chantier-bench-'));

export const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const stores: BenchStore[] = [
  {
    name: 'sqlite',
    async open() {
      // A database file on disk (WAL), as `chantier serve` runs it by default.
      const dir = tempDir();
      return { env: { CHANTIER_DATA_DIR: dir, DATABASE_URL: '' }, close: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    async open() {
      const schema = `bench_${process.pid}_${Date.now().toString(36)}`;
      const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
      try {
        await admin.connect();
        await admin.query(`create schema ${schema}`);
      } catch (err) {
        return { skip: `PostgreSQL at ${PG_URL} is unreachable (${(err as Error).message}); set BENCH_DATABASE_URL` };
      } finally {
        await admin.end().catch(() => {});
      }
      // A fresh schema per run, dropped afterwards (as the test harness does).
      const dir = tempDir();
      return {
        env: { DATABASE_URL: PG_URL, BENCH_PG_SCHEMA: schema, CHANTIER_DATA_DIR: dir },
        async close() {
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`drop schema ${schema} cascade`);
          await c.end();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
