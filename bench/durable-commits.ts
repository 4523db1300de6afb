// Raw SQLite commit rate with Chantier's settings (WAL, BEGIN IMMEDIATE through Kysely), one
// small write transaction per commit: synchronous=FULL (the default: every commit reaches the
// disk before it is answered) beside synchronous=NORMAL (what it was: WAL commits may be lost on
// power loss), so the cost of durability is measured on this machine's disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/open.ts';

export interface DurableCommitResult {
  synchronous: 'FULL' | 'NORMAL';
  commits: number;
  ms: number;
}

export async function benchDurableCommits(commits: number): Promise<DurableCommitResult[]> {
  const results: DurableCommitResult[] = [];
  for (const synchronous of ['FULL', 'NORMAL'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'chantier-commits-'));
    const db = openDatabase({ url: join(dir, 'bench.db') });
    try {
      if (synchronous === 'NORMAL') await sql.raw('pragma synchronous = NORMAL').execute(db.kysely);
      await sql`create table t (id integer primary key, v text not null)`.execute(db.kysely);
      const t0 = performance.now();
      for (let i = 0; i < commits; i++) {
        await db.kysely.transaction().execute((trx) => sql`insert into t (v) values (${`row ${i}`})`.execute(trx));
      }
      results.push({ synchronous, commits, ms: performance.now() - t0 });
      const n = (await sql<{ n: number }>`select count(*) as n from t`.execute(db.kysely)).rows[0].n;
      if (n !== commits) throw new Error(`durable commits: ${n} rows, expected ${commits}`);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}
