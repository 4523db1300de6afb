import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './open.ts';

describe('SQLite durability', () => {
  it('commits durably by default: WAL with synchronous=FULL, so an answered write survives a power loss', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chantier-durable-'));
    const db = openDatabase({ url: join(dir, 'chantier.db') });
    try {
      const mode = (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db.kysely)).rows[0].journal_mode;
      const sync = (await sql<{ synchronous: number }>`pragma synchronous`.execute(db.kysely)).rows[0].synchronous;
      assert.equal(mode, 'wal');
      assert.equal(sync, 2, 'synchronous=FULL (NORMAL is 1: WAL commits may be lost on power loss)');
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
